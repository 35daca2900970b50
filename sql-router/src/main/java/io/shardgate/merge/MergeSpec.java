package io.shardgate.merge;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * How the merge engine combines the per-shard results of one statement. Built by the router, which has
 * already rewritten the per-shard SQL (AVG into SUM plus a hidden COUNT, LIMIT n OFFSET m into LIMIT n+m,
 * hidden ORDER BY / GROUP BY columns appended after the visible ones); the engine never sees SQL.
 *
 * <p>Column indexes are 0-based positions in the per-shard rows; only the first {@code visibleColumns}
 * reach the client.
 *
 * @param visibleColumns columns exposed by the merged cursor (a prefix of the per-shard columns)
 * @param sort           ORDER BY keys; without grouping every shard's rows are already sorted by them
 * @param offset         rows to skip after merging (>= 0)
 * @param limit          rows to return after the offset, -1 for no limit
 * @param groupBy        GROUP BY columns (the group key)
 * @param aggregates     aggregate columns to recombine
 * @param distinct       SELECT DISTINCT over the visible columns
 * @param having        HAVING on the merged group row, or null; needs groupBy or aggregates
 */
public record MergeSpec(int visibleColumns, List<SortKey> sort, long offset, long limit,
                        List<Integer> groupBy, List<AggregateColumn> aggregates, boolean distinct,
                        RowFilter having) {

  public MergeSpec {
    if (visibleColumns < 0) {
      throw new IllegalArgumentException("visibleColumns must be >= 0, got " + visibleColumns);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0, got " + offset);
    }
    if (limit < -1) {
      throw new IllegalArgumentException("limit must be >= 0 or -1 for none, got " + limit);
    }
    sort = List.copyOf(nonNull(sort, "sort"));
    groupBy = List.copyOf(nonNull(groupBy, "groupBy"));
    aggregates = List.copyOf(nonNull(aggregates, "aggregates"));
    for (Integer g : groupBy) {
      if (g < 0) {
        throw new IllegalArgumentException("groupBy column must be >= 0, got " + g);
      }
    }
    if (having != null && groupBy.isEmpty() && aggregates.isEmpty()) {
      throw new IllegalArgumentException("having needs groupBy or aggregates");
    }
  }

  private static <T> T nonNull(T value, String name) {
    if (value == null) {
      throw new NullPointerException(name + " must not be null");
    }
    return value;
  }

  /** Plain concatenation of the shards' rows, in shard order. */
  public static MergeSpec concat(int columns) {
    return new MergeSpec(columns, List.of(), 0, -1, List.of(), List.of(), false, null);
  }

  /** Heap merge of shards already sorted by {@code keys}. */
  public static MergeSpec sorted(int visibleColumns, SortKey... keys) {
    return new MergeSpec(visibleColumns, List.of(keys), 0, -1, List.of(), List.of(), false, null);
  }

  /** Hash aggregation by {@code groupBy} (may be empty for a global aggregate). */
  public static MergeSpec aggregate(int visibleColumns, List<Integer> groupBy, AggregateColumn... aggregates) {
    return new MergeSpec(visibleColumns, List.of(), 0, -1, groupBy, List.of(aggregates), false, null);
  }

  public MergeSpec withSort(SortKey... keys) {
    return new MergeSpec(visibleColumns, List.of(keys), offset, limit, groupBy, aggregates, distinct, having);
  }

  public MergeSpec withOffsetLimit(long newOffset, long newLimit) {
    return new MergeSpec(visibleColumns, sort, newOffset, newLimit, groupBy, aggregates, distinct, having);
  }

  public MergeSpec withDistinct(boolean newDistinct) {
    return new MergeSpec(visibleColumns, sort, offset, limit, groupBy, aggregates, newDistinct, having);
  }

  public MergeSpec withHaving(RowFilter newHaving) {
    return new MergeSpec(visibleColumns, sort, offset, limit, groupBy, aggregates, distinct, newHaving);
  }

  /** True when rows are recombined per group (hash aggregation) rather than streamed. */
  public boolean isAggregating() {
    return !groupBy.isEmpty() || !aggregates.isEmpty();
  }

  /** Smallest column count a shard row must have for this spec. */
  public int requiredColumns() {
    int max = visibleColumns;
    for (SortKey k : sort) {
      max = Math.max(max, k.column() + 1);
    }
    for (Integer g : groupBy) {
      max = Math.max(max, g + 1);
    }
    for (AggregateColumn a : aggregates) {
      max = Math.max(max, Math.max(a.column(), a.countColumn()) + 1);
    }
    return max;
  }

  /**
   * Deterministic one-line text for EXPLAIN ROUTE and tests, e.g.
   * {@code columns=2 groupBy=[0] aggregates=[COUNT(1)] having sort=[1 DESC NULLS FIRST] limit=10}.
   * Parts with default values are left out.
   */
  public String describe() {
    StringBuilder sb = new StringBuilder("columns=").append(visibleColumns);
    if (!groupBy.isEmpty()) {
      sb.append(" groupBy=").append(groupBy.toString().replace(" ", ""));
    }
    if (!aggregates.isEmpty()) {
      List<String> parts = new ArrayList<>();
      aggregates.forEach(a -> parts.add(a.describe()));
      sb.append(" aggregates=[").append(String.join(",", parts)).append(']');
    }
    if (having != null) {
      sb.append(" having");
    }
    if (!sort.isEmpty()) {
      StringJoiner j = new StringJoiner(",", "[", "]");
      sort.forEach(k -> j.add(k.describe()));
      sb.append(" sort=").append(j);
    }
    if (distinct) {
      sb.append(" distinct");
    }
    if (offset != 0) {
      sb.append(" offset=").append(offset);
    }
    if (limit != -1) {
      sb.append(" limit=").append(limit);
    }
    return sb.toString();
  }
}
