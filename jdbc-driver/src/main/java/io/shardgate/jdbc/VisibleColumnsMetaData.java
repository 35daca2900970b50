package io.shardgate.jdbc;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/**
 * The first shard's metadata limited to the columns the merged result shows: the router may add columns to each
 * shard's query (sort keys, the count behind an AVG) that the caller never asked for.
 */
final class VisibleColumnsMetaData extends ForwardingResultSetMetaData {
    private final int visible;

    VisibleColumnsMetaData(ResultSetMetaData delegate, int visible) {
        super(delegate);
        this.visible = visible;
    }

    static ResultSetMetaData of(ResultSetMetaData md, int visible) throws SQLException {
        return md.getColumnCount() == visible ? md : new VisibleColumnsMetaData(md, visible);
    }

    @Override
    public int getColumnCount() {
        return visible;
    }

    private int check(int column) throws SQLException {
        if (column < 1 || column > visible) {
            throw new SQLException("column index " + column + " is out of range 1.." + visible, "22023");
        }
        return column;
    }

    @Override
    public String getColumnLabel(int column) throws SQLException {
        return delegate.getColumnLabel(check(column));
    }

    @Override
    public String getColumnName(int column) throws SQLException {
        return delegate.getColumnName(check(column));
    }

    @Override
    public int getColumnType(int column) throws SQLException {
        return delegate.getColumnType(check(column));
    }

    @Override
    public String getColumnTypeName(int column) throws SQLException {
        return delegate.getColumnTypeName(check(column));
    }

    @Override
    public String getColumnClassName(int column) throws SQLException {
        return delegate.getColumnClassName(check(column));
    }
}
