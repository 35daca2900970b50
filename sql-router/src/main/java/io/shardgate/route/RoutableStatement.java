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
    private final Shared shared;

    RoutableStatement(LexedStatement lexed, StatementInfo info, boolean sideEffects) {
        this(lexed, new Shared(info, sideEffects));
    }

    /** Another text of the same literal shape as {@code like}: it shares the analysis and the placement. */
    RoutableStatement(LexedStatement lexed, RoutableStatement like) {
        this(lexed, like.shared);
    }

    private RoutableStatement(LexedStatement lexed, Shared shared) {
        this.lexed = lexed;
        this.shared = shared;
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
        return shared.info;
    }

    /** Whether the text calls a function that makes a SELECT a write (nextval, advisory locks, ...). */
    boolean sideEffects() {
        return shared.sideEffects;
    }

    /**
     * Where the statement's tables live under the router's configuration, worked out on the first routing of any text
     * of this shape and kept: it depends on the analysis and the configuration only, and every statement of a
     * simple-protocol client would otherwise rebuild it. A race computes it twice, alike.
     */
    TablePlacement placement(io.shardgate.config.ShardgateConfig config) {
        TablePlacement p = shared.placement;
        if (p == null || p.config() != config) { // a statement kept across a RELOAD: placed anew
            p = TablePlacement.of(shared.info, config);
            shared.placement = p;
        }
        return p;
    }

    /** What every text of one literal shape has in common (the cache of one router, so of one configuration). */
    private static final class Shared {
        final StatementInfo info;
        final boolean sideEffects;
        volatile TablePlacement placement;

        Shared(StatementInfo info, boolean sideEffects) {
            this.info = info;
            this.sideEffects = sideEffects;
        }
    }
}
