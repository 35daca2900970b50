package io.shardgate.jdbc;

import io.shardgate.rule.RoutingException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLSyntaxErrorException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorsTest {
    @Test
    void backendErrorKeepsStateCodeAndClassAndNamesTheShard() {
        SQLException backend = new SQLIntegrityConstraintViolationException("Duplicate entry '1'", "23000", 1062);
        SQLException e = Errors.fromShard("s1", "s1-primary", backend);
        assertInstanceOf(SQLIntegrityConstraintViolationException.class, e);
        assertEquals("[shard s1/s1-primary] Duplicate entry '1'", e.getMessage());
        assertEquals("23000", e.getSQLState());
        assertEquals(1062, e.getErrorCode());
        assertSame(backend, e.getCause());
    }

    @Test
    void plainSqlExceptionStaysPlain() {
        SQLException e = Errors.fromShard("s0", "s0-replica", new SQLException("boom", "42703"));
        assertEquals(SQLException.class, e.getClass());
        assertEquals("42703", e.getSQLState());
    }

    @Test
    void routingErrorsCarryTheirSqlState() {
        SQLException e = Errors.routing(new RoutingException(RoutingException.NOT_SUPPORTED, "no shard key"));
        assertInstanceOf(SQLFeatureNotSupportedException.class, e);
        assertEquals("0A000", e.getSQLState());
        assertEquals("no shard key", e.getMessage());
        assertInstanceOf(SQLSyntaxErrorException.class, Errors.routing(new RoutingException(RoutingException.SYNTAX,
                "bad")));
        assertEquals("22023", Errors.routing(new RoutingException(RoutingException.INVALID_VALUE, "x")).getSQLState());
    }

    @Test
    void connectionFailuresAreClass08OrServerShutdown() {
        assertTrue(Errors.isConnectionFailure(new SQLException("refused", "08001")));
        assertTrue(Errors.isConnectionFailure(new SQLException("admin shutdown", "57P01")));
        assertFalse(Errors.isConnectionFailure(new SQLException("pool exhausted", (String) null)));
        assertFalse(Errors.isConnectionFailure(new SQLException("syntax", "42601")));
    }
}
