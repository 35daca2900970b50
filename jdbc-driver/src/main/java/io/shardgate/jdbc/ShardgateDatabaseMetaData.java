package io.shardgate.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The logical connection's metadata: the default shard's primary answers (product name and version, keywords,
 * tables...), borrowing a connection per call, while the connection, URL and driver are shardgate's. This is what
 * ORMs read first (Hibernate's dialect resolution), so it must work without any statement having run.
 */
final class ShardgateDatabaseMetaData extends BorrowingDatabaseMetaData {
    private final ShardgateConnection connection;

    ShardgateDatabaseMetaData(ShardgateConnection connection) {
        this.connection = connection;
    }

    @Override
    protected Borrowed borrow() throws SQLException {
        Lease lease = connection.borrowDefault();
        DatabaseMetaData md;
        try {
            md = lease.connection.getMetaData();
        } catch (SQLException e) {
            lease.release();
            throw lease.error(e);
        }
        return new Borrowed() {
            @Override
            public DatabaseMetaData metaData() {
                return md;
            }

            @Override
            public void close() {
                lease.release();
            }
        };
    }

    @Override
    protected ResultSet keep(Borrowed borrowed, ResultSet rs) {
        return new ForwardingResultSet(rs) {
            @Override
            public void close() throws SQLException {
                try {
                    delegate.close();
                } finally {
                    borrowed.close();
                }
            }

            @Override
            public java.sql.Statement getStatement() {
                return null; // metadata results have no statement of the caller's
            }
        };
    }

    @Override
    public Connection getConnection() {
        return connection;
    }

    @Override
    public String getURL() {
        return connection.url();
    }

    @Override
    public String getDriverName() throws SQLException {
        try (Borrowed b = borrow()) {
            return "shardgate (over " + b.metaData().getDriverName() + ")";
        }
    }

    @Override
    public String getDriverVersion() {
        return ShardgateDriver.MAJOR_VERSION + "." + ShardgateDriver.MINOR_VERSION;
    }

    @Override
    public int getDriverMajorVersion() {
        return ShardgateDriver.MAJOR_VERSION;
    }

    @Override
    public int getDriverMinorVersion() {
        return ShardgateDriver.MINOR_VERSION;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return (T) this;
        }
        throw new SQLException("shardgate metadata is not a " + iface.getName(), "0A000");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
