package io.shardgate.analysis;

import java.util.List;

/**
 * The rows of an INSERT, so the router can send each row to its shard by splicing the original text at
 * {@code rowSpans} (offsets in the normalised text; map them with {@code LexedStatement.toOriginalOffset}).
 *
 * @param table       target table
 * @param columns     lower-cased target columns; empty if the statement omits the list
 * @param rows        one list of values per VALUES row
 * @param rowSpans    [start, end) of each row tuple "( ... )" in the normalised text
 * @param fromSelect  true for INSERT ... SELECT (rows is then empty)
 * @param valuesStart offset of the VALUES keyword in the normalised text, -1 if none
 * @param valuesEnd   offset just after the last row, -1 if none
 */
public record InsertInfo(String table, List<String> columns, List<List<ValueRef>> rows, List<int[]> rowSpans,
                         boolean fromSelect, int valuesStart, int valuesEnd) {
    public InsertInfo {
        columns = List.copyOf(columns);
        rows = rows.stream().map(List::copyOf).toList();
        rowSpans = List.copyOf(rowSpans);
    }

    /** Index of the column in {@link #columns()}, or -1. */
    public int columnIndex(String column) {
        return columns.indexOf(column);
    }
}
