package io.shardgate.route;

import io.shardgate.analysis.LexedStatement;
import io.shardgate.analysis.StatementInfo;
import io.shardgate.analysis.StatementKind;

/**
 * One statement looked up once by {@link Router#statement(String)}: its lexed form and the facts that depend on its
 * text alone. A caller that needs the kind before routing (the proxy's simple-query path) uses it, then passes it to
 * {@link Router#route(RoutableStatement, java.util.List, SessionState)}, so the text is lexed once.
 */
public final class RoutableStatement {
    private final LexedStatement lexed;
    private final StatementInfo info;
    private final boolean sideEffects;

    RoutableStatement(LexedStatement lexed, StatementInfo info, boolean sideEffects) {
        this.lexed = lexed;
        this.info = info;
        this.sideEffects = sideEffects;
    }

    public LexedStatement lexed() {
        return lexed;
    }

    public StatementKind kind() {
        return lexed.kind();
    }

    public String sql() {
        return lexed.original();
    }

    /** The analysis (DML only, else null). */
    StatementInfo info() {
        return info;
    }

    /** Whether the text calls a function that makes a SELECT a write (nextval, advisory locks, ...). */
    boolean sideEffects() {
        return sideEffects;
    }
}
