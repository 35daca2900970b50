package io.shardgate.merge;

import java.util.List;

/** How to combine the results of several shards. */
public record MergeSpec(int visibleColumns, List<SortKey> sort, long offset, long limit, List<Integer> groupBy,
                        List<AggregateColumn> aggregates, boolean distinct, RowFilter having) {
    public static MergeSpec concat(int columns) {
        return new MergeSpec(columns, List.of(), 0, -1, List.of(), List.of(), false, null);
    }
}
