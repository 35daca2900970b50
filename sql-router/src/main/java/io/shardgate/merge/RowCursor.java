package io.shardgate.merge;

import java.sql.SQLException;

/** The narrow view of one shard's result the merger needs; the JDBC driver and the proxy each adapt to it. */
public interface RowCursor extends AutoCloseable {
    boolean next() throws SQLException;

    Object get(int column) throws SQLException;

    int columnCount();

    @Override
    void close() throws SQLException;
}
