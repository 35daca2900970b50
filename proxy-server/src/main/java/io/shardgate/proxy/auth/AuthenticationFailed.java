package io.shardgate.proxy.auth;

/** A login that did not succeed; the client gets ErrorResponse 28P01 (or 28000) and the connection closes. */
public final class AuthenticationFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String sqlState;

    public AuthenticationFailed(String message) {
        this("28P01", message);
    }

    public AuthenticationFailed(String sqlState, String message) {
        super(message);
        this.sqlState = sqlState;
    }

    public String sqlState() {
        return sqlState;
    }
}
