package io.shardgate.proxy.backend;

/** A backend connection could not be made, logged in, or borrowed in time. */
public final class BackendException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
