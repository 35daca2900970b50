package io.shardgate.route;

/**
 * What the router needs to know of the caller's session: inside an explicit transaction everything goes to the
 * primaries unless the transaction is read-only. {@code pinnedShards} lists, for the proxy and driver, nothing the
 * router relies on; it only affects describe output.
 */
public record SessionState(boolean inTransaction, boolean readOnly) {
    public static final SessionState AUTOCOMMIT = new SessionState(false, false);
    public static final SessionState READ_ONLY_TRANSACTION = new SessionState(true, true);
    public static final SessionState READ_WRITE_TRANSACTION = new SessionState(true, false);

    public static SessionState of(boolean inTransaction, boolean readOnly) {
        if (!inTransaction) {
            return readOnly ? new SessionState(false, true) : AUTOCOMMIT;
        }
        return readOnly ? READ_ONLY_TRANSACTION : READ_WRITE_TRANSACTION;
    }
}
