package io.shardgate.proxy.protocol;

/** A malformed or truncated message: the connection that sent it gets ErrorResponse 08P01 and is closed. */
public final class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public static final String SQLSTATE = "08P01";

    public ProtocolException(String message) {
        super(message);
    }
}
