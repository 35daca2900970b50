package io.shardgate.jdbc;

import io.shardgate.merge.RowCursor;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A {@link RowCursor} over one shard's physical ResultSet: {@code get} is {@code getObject}, so the merger sees the
 * driver's own Java types. Errors are labelled with the shard they came from.
 */
public final class ResultSetRowCursor implements RowCursor {
    private final ResultSet rs;
    private final int columns;
    private final String shard;
    private final String database;

    public ResultSetRowCursor(ResultSet rs, String shard, String database) throws SQLException {
        this.rs = rs;
        this.columns = rs.getMetaData().getColumnCount();
        this.shard = shard;
        this.database = database;
    }

    public ResultSet resultSet() {
        return rs;
    }

    @Override
    public boolean next() throws SQLException {
        try {
            return rs.next();
        } catch (SQLException e) {
            throw Errors.fromShard(shard, database, e);
        }
    }

    @Override
    public Object get(int column) throws SQLException {
        try {
            return rs.getObject(column + 1);
        } catch (SQLException e) {
            throw Errors.fromShard(shard, database, e);
        }
    }

    @Override
    public int columnCount() {
        return columns;
    }

    @Override
    public void close() throws SQLException {
        rs.close();
    }
}
