package io.shardgate.rule;

/**
 * A statement shardgate refuses to route, with the reason the user can act on (which table, which rule, what to
 * add). Carries an SQLState so both faces can hand it to clients as a database error would be.
 */
public final class RoutingException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** SQLState class 0A: feature not supported, the standard answer for a statement a middleware cannot serve. */
    public static final String NOT_SUPPORTED = "0A000";
    /** SQLState 22023 invalid parameter value: a key value a rule cannot place. */
    public static final String INVALID_VALUE = "22023";
    /** SQLState 42601 syntax error. */
    public static final String SYNTAX = "42601";

    private final String sqlState;

    public RoutingException(String sqlState, String message) {
        super(message);
        this.sqlState = sqlState;
    }

    public RoutingException(String message) {
        this(NOT_SUPPORTED, message);
    }

    public String sqlState() {
        return sqlState;
    }
}
