package io.shardgate.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The physical ResultSet of a single-shard query, handed through with two differences: {@code getStatement()} is
 * the logical statement, and closing it also ends the execution that produced it (closing the physical statement
 * and, outside a transaction, returning the connection to its pool).
 */
final class LeasedResultSet extends ForwardingResultSet {
    private final ShardgateStatement statement;
    private final Execution execution;

    LeasedResultSet(ResultSet delegate, ShardgateStatement statement, Execution execution) {
        super(delegate);
        this.statement = statement;
        this.execution = execution;
    }

    @Override
    public void close() throws SQLException {
        try {
            delegate.close();
        } finally {
            execution.close();
        }
        statement.resultClosed();
    }

    @Override
    public Statement getStatement() {
        return statement;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return (T) this;
        }
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }
}
