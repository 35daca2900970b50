package io.shardgate.jdbc;

import io.shardgate.rule.RoutingException;

import java.sql.BatchUpdateException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;

/**
 * Turns failures into the SQLExceptions applications see. A backend error keeps its SQLState, vendor code and
 * exception subclass (ORMs branch on them) and gains the place it happened: {@code [shard s0/s0-primary] }.
 */
final class Errors {
    private Errors() {
    }

    static SQLException fromShard(String shard, String database, SQLException e) {
        String message = "[shard " + shard + "/" + database + "] " + e.getMessage();
        String state = e.getSQLState();
        int code = e.getErrorCode();
        SQLException out;
        if (e instanceof BatchUpdateException b) {
            out = new BatchUpdateException(message, state, code, b.getLargeUpdateCounts(), e);
        } else if (e instanceof SQLIntegrityConstraintViolationException) {
            out = new SQLIntegrityConstraintViolationException(message, state, code, e);
        } else if (e instanceof SQLSyntaxErrorException) {
            out = new SQLSyntaxErrorException(message, state, code, e);
        } else if (e instanceof SQLDataException) {
            out = new SQLDataException(message, state, code, e);
        } else if (e instanceof SQLTimeoutException) {
            out = new SQLTimeoutException(message, state, code, e);
        } else if (e instanceof SQLTransactionRollbackException) {
            out = new SQLTransactionRollbackException(message, state, code, e);
        } else if (e instanceof SQLTransientConnectionException) {
            out = new SQLTransientConnectionException(message, state, code, e);
        } else if (e instanceof SQLNonTransientConnectionException) {
            out = new SQLNonTransientConnectionException(message, state, code, e);
        } else if (e instanceof SQLInvalidAuthorizationSpecException) {
            out = new SQLInvalidAuthorizationSpecException(message, state, code, e);
        } else if (e instanceof SQLRecoverableException) {
            out = new SQLRecoverableException(message, state, code, e);
        } else if (e instanceof SQLFeatureNotSupportedException) {
            out = new SQLFeatureNotSupportedException(message, state, code, e);
        } else {
            out = new SQLException(message, state, code, e);
        }
        return out;
    }

    static SQLException routing(RoutingException e) {
        String state = e.sqlState();
        String message = e.getMessage();
        if (state != null && state.startsWith("0A")) {
            return new SQLFeatureNotSupportedException(message, state, e);
        }
        if (state != null && state.startsWith("42")) {
            return new SQLSyntaxErrorException(message, state, e);
        }
        if (state != null && state.startsWith("22")) {
            return new SQLDataException(message, state, e);
        }
        return new SQLException(message, state, e);
    }

    /**
     * True for failures to reach a database at all: SQLState class 08 or a server shutting down, which is also what the pool's timeout carries
     * when its last attempt to connect failed. A pool that is merely exhausted times out without an SQLState: that
     * says nothing about the database's health.
     */
    static boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        if (state == null) {
            return false;
        }
        // 08: connection exception; 57P01-57P03: PostgreSQL shutting down / cannot connect now
        return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
    }

    static SQLException closed(String what) {
        return new SQLNonTransientConnectionException(what + " is closed", "08003");
    }

    static SQLFeatureNotSupportedException unsupported(String what) {
        return new SQLFeatureNotSupportedException(what + " is not supported by shardgate", "0A000");
    }
}
