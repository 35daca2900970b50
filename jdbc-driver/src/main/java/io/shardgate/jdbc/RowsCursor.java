package io.shardgate.jdbc;

import io.shardgate.merge.RowCursor;

import java.util.List;

/** A {@link RowCursor} over rows shardgate holds in memory (EXPLAIN ROUTE rows, generated keys). */
final class RowsCursor implements RowCursor {
    private final int columns;
    private final List<Object[]> rows;
    private int position = -1;

    RowsCursor(int columns, List<Object[]> rows) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).length != columns) {
                throw new IllegalArgumentException("row " + i + " has " + rows.get(i).length + " values, expected "
                        + columns);
            }
        }
        this.columns = columns;
        this.rows = rows;
    }

    @Override
    public boolean next() {
        if (position < rows.size()) {
            position++;
        }
        return position < rows.size();
    }

    @Override
    public Object get(int column) {
        return rows.get(position)[column];
    }

    @Override
    public int columnCount() {
        return columns;
    }

    @Override
    public void close() {
        position = rows.size();
    }
}
