package io.shardgate.analysis;

/**
 * What a statement does, decided from its first keyword(s) alone, so that transaction control and session
 * commands can be routed without ever reaching the parser.
 */
public enum StatementKind {
    SELECT, INSERT, UPDATE, DELETE, DDL,
    BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE_SAVEPOINT, ROLLBACK_TO_SAVEPOINT,
    SET, SHOW, RESET, DISCARD, USE, COPY,
    EXPLAIN_ROUTE, EXPLAIN, EMPTY, OTHER;

    /** True for the kinds that are analysed by Calcite and routed by shard key. */
    public boolean isDml() {
        return this == SELECT || this == INSERT || this == UPDATE || this == DELETE;
    }

    /** True for the kinds that open, close or mark a transaction. */
    public boolean isTransactionControl() {
        return switch (this) {
            case BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE_SAVEPOINT, ROLLBACK_TO_SAVEPOINT -> true;
            default -> false;
        };
    }

    /** True for commands that read or change session state rather than data. */
    public boolean isSession() {
        return this == SET || this == SHOW || this == RESET || this == DISCARD || this == USE;
    }
}
