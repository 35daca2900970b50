package io.shardgate.route;

import io.shardgate.analysis.Analyzer;
import io.shardgate.analysis.LexedStatement;
import io.shardgate.analysis.SqlLexer;
import io.shardgate.analysis.StatementKind;
import io.shardgate.config.Dialect;
import io.shardgate.config.RuleConfig;
import io.shardgate.config.ShardgateConfig;
import io.shardgate.config.TableConfig;
import io.shardgate.keygen.IdGenerator;
import io.shardgate.rule.DirectoryRule;
import io.shardgate.rule.DirectoryStore;
import io.shardgate.rule.HashRule;
import io.shardgate.rule.RangeRule;
import io.shardgate.rule.RoutingException;
import io.shardgate.rule.ShardRule;
import io.shardgate.topology.Topology;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one SQL statement (text, parameters, session) into a {@link RoutePlan}. Thread-safe; one instance per
 * driver instance or proxy, so its read-your-writes tracker spans every connection.
 *
 * <p>One switch on the statement kind, transaction control first; DML is planned by {@link DmlPlanner}.
 */
public final class Router {

    /**
     * Whether {@code sql} calls a function with effects beyond the statement (nextval, set_config, pg_advisory_*,
     * pg_notify, ...; any case, schema-qualified or not): such reads go to the primary, and the proxy looks closer
     * at them for session state a pooled connection would carry to its next client.
     */
    public static boolean callsSideEffectFunction(String sql) {
        return PreparedStatementCache.callsSideEffectFunction(sql);
    }
    private final ShardgateConfig config;
    private final Topology topology;
    private final WriteTracker writeTracker;
    private final Analyzer analyzer;
    private final Dialect dialect;
    private final Map<String, ShardRule> rules;
    private final IdGenerator ids;
    private final PreparedStatementCache statements;
    private final List<String> allShards;

    public Router(ShardgateConfig config, Topology topology, Map<String, DirectoryStore> directories) {
        this.config = config;
        this.topology = topology;
        this.dialect = config.dialect();
        this.writeTracker = new WriteTracker(config.readWrite().readYourWrites());
        this.analyzer = new Analyzer(config.analysisCacheSize());
        this.statements = new PreparedStatementCache(config.analysisCacheSize(), analyzer, dialect);
        this.ids = IdGenerator.forThisProcess();
        this.allShards = List.copyOf(config.shards().keySet());
        Map<String, ShardRule> built = new LinkedHashMap<>();
        for (RuleConfig rc : config.rules().values()) {
            ShardRule rule;
            if (rc instanceof RuleConfig.Hash h) {
                rule = new HashRule(h);
            } else if (rc instanceof RuleConfig.Range r) {
                rule = new RangeRule(r);
            } else {
                RuleConfig.Directory d = (RuleConfig.Directory) rc;
                DirectoryStore store = directories.get(d.name());
                if (store == null) {
                    throw new IllegalArgumentException("no directory store given for directory rule '" + d.name() + "'");
                }
                rule = new DirectoryRule(d, store);
            }
            built.put(rc.name(), rule);
        }
        this.rules = Collections.unmodifiableMap(built);
    }

    public ShardgateConfig config() {
        return config;
    }

    public Topology topology() {
        return topology;
    }

    public WriteTracker writeTracker() {
        return writeTracker;
    }

    public Analyzer analyzer() {
        return analyzer;
    }

    public ShardRule rule(String name) {
        return rules.get(name);
    }

    IdGenerator ids() {
        return ids;
    }

    Dialect dialect() {
        return dialect;
    }

    List<String> allShards() {
        return allShards;
    }

    /**
     * Plans one statement (no {@code ;}-separated lists: use {@link #split}).
     *
     * @param params the caller's parameter values in order ({@code ?} or {@code $n}), empty for plain text
     * @throws RoutingException when the statement cannot be routed correctly; the message says why and what to do
     */
    public RoutePlan route(String sql, List<Object> params, SessionState session) {
        return route(statements.get(sql), params, session);
    }

    /**
     * Looks one statement up (no {@code ;}-separated lists: use {@link #split}): lexed once, from the statement
     * cache when the text was seen before. A caller that needs the kind before routing (the proxy's simple query
     * path) routes the result with {@link #route(RoutableStatement, List, SessionState)} instead of the text, so
     * the text is not lexed again.
     */
    public RoutableStatement statement(String sql) {
        return statements.get(sql);
    }

    /**
     * Plans a statement looked up with {@link #statement}; the same plan as {@link #route(String, List,
     * SessionState)} of its text.
     */
    public RoutePlan route(RoutableStatement prepared, List<Object> params, SessionState session) {
        LexedStatement lexed = prepared.lexed();
        String sql = lexed.original();
        StatementKind kind = lexed.kind();
        switch (kind) {
            case EMPTY, BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE_SAVEPOINT, ROLLBACK_TO_SAVEPOINT:
                return new RoutePlan(sql, kind, List.of(), null, "transaction control: applied to every shard the "
                        + "transaction touches", List.of(), Set.of(), false);
            case SET, RESET, DISCARD, USE:
                return single(sql, kind, config.defaultShard(), Role.PRIMARY, params,
                        "session command: applied to every physical connection of the session");
            case SHOW:
                return single(sql, kind, config.defaultShard(), Role.PRIMARY, params,
                        "not table-specific: default shard " + config.defaultShard());
            case OTHER:
                return other(lexed, params, session);
            case EXPLAIN_ROUTE: {
                RoutePlan inner = route(statements.get(lexed.innerStatement()), params, session);
                return new RoutePlan(sql, kind, inner.statements(), null, inner.reason(), inner.generatedKeys(),
                        Set.of(), inner.broadcast());
            }
            case EXPLAIN:
                return explain(lexed, params, session);
            case DDL:
                return ddl(lexed, params);
            case COPY: {
                String query = copyQuery(lexed.original());
                if (query != null) {
                    return copyQuery(lexed, query, params, session);
                }
                return copy(lexed, params);
            }
            case SELECT, INSERT, UPDATE, DELETE:
                if (lexed.firstKeyword().equals("TABLE")) {
                    // planned (and sent to the shards) as the SELECT * FROM name it stands for, which the analysis
                    // and the cross-shard merge can read
                    return route(statements.get(SqlLexer.explicitTableAsSelect(sql, dialect)), params, session);
                }
                return new DmlPlanner(this, prepared, params, session).plan();
            default:
                throw new IllegalStateException("[BUG] statement kind " + kind + " has no route");
        }
    }

    /** Splits a multi-statement string the way the router will see each statement. */
    public List<String> split(String sql) {
        return SqlLexer.split(sql, dialect());
    }

    /** Executors call this after a write succeeded, so that the read-your-writes window starts from its end. */
    public void recordWrites(RoutePlan plan) {
        for (String t : plan.writtenTables()) {
            writeTracker.recordWrite(t);
        }
    }

    /** Starts the read-your-writes window of {@code table} (a write the router did not plan: COPY split by key). */
    public void recordWrite(String table) {
        writeTracker.recordWrite(table);
    }

    RoutePlan single(String sql, StatementKind kind, String shard, Role role, List<Object> params, String reason) {
        String database = role == Role.PRIMARY ? config.shard(shard).primary() : topology.pickReplica(shard);
        if (database == null) {
            database = config.shard(shard).primary();
            role = Role.PRIMARY;
        }
        return new RoutePlan(sql, kind, List.of(new ShardStatement(shard, role, database, sql, List.copyOf(params))),
                null, reason, List.of(), Set.of(), false);
    }

    private RoutePlan explain(LexedStatement lexed, List<Object> params, SessionState session) {
        String inner = lexed.innerStatement();
        RoutePlan innerPlan = inner == null || inner.isBlank() ? null
                : route(statements.get(inner), params, session);
        if (innerPlan == null || innerPlan.statements().isEmpty()) {
            return single(lexed.original(), lexed.kind(), config.defaultShard(), Role.PRIMARY, params,
                    "EXPLAIN: default shard");
        }
        String prefix = lexed.original().substring(0, lexed.original().length() - inner.length());
        List<ShardStatement> statements = new ArrayList<>();
        for (ShardStatement s : innerPlan.statements()) {
            statements.add(new ShardStatement(s.shard(), s.role(), s.database(), prefix + s.sql(), s.parameters()));
        }
        return new RoutePlan(lexed.original(), lexed.kind(), statements, null,
                "EXPLAIN of: " + innerPlan.reason(), List.of(), Set.of(), false);
    }

    /**
     * A statement of a kind the router does not plan (DECLARE ... CURSOR, PREPARE, FETCH, EXECUTE, VACUUM, LOCK,
     * CALL, ...) goes to the default shard's primary, and so do the statements that continue a cursor or a prepared
     * statement (FETCH, MOVE, CLOSE, EXECUTE, DEALLOCATE name no table). That is right only when what it touches lives
     * on the default shard: a cursor or prepared statement is allowed when its statement would run there as written,
     * any other statement when it names no table living elsewhere. The rest is refused, never sent to a guessed shard.
     */
    private RoutePlan other(LexedStatement lexed, List<Object> params, SessionState session) {
        String reason;
        if (lexed.innerStatement() != null) {
            reason = innerOnDefaultShard(lexed, params, session);
        } else {
            List<String> names = SqlLexer.identifiers(lexed.original(), dialect);
            String table = tableOffDefaultShard(names);
            if (table != null && MAINTENANCE.contains(lexed.firstKeyword())) {
                return maintenance(lexed, names, params);
            }
            if (table != null && "WITH".equals(lexed.firstKeyword())) {
                throw new RoutingException("a WITH query whose CTE writes (INSERT, UPDATE or DELETE inside WITH) and "
                        + "names " + describeTable(table) + " is not supported through shardgate: the write would run "
                        + "on every shard the query reads, or on the wrong one; run the write as a statement of its "
                        + "own (with RETURNING), then the query");
            }
            if (table != null) {
                throw new RoutingException(lexed.firstKeyword() + " naming " + describeTable(table) + " is not "
                        + "supported through shardgate: it is not a statement shardgate plans, and the default shard "
                        + config.defaultShard() + ", where it would go, holds " + defaultShardHolds(table) + "; run "
                        + "it on the shards' databases directly");
            }
            reason = "not table-specific: default shard " + config.defaultShard();
        }
        return single(lexed.original(), lexed.kind(), config.defaultShard(), Role.PRIMARY, params, reason);
    }

    /**
     * Maintenance commands whose work on each shard's part of a table is independent of the other parts (pgbench -i
     * runs VACUUM ANALYZE on its tables): they run on every shard holding a table they name.
     */
    private static final Set<String> MAINTENANCE = Set.of("VACUUM", "ANALYZE", "ANALYSE", "CLUSTER", "REINDEX");

    private RoutePlan maintenance(LexedStatement lexed, List<String> names, List<Object> params) {
        Set<String> shards = new LinkedHashSet<>();
        List<String> tables = new ArrayList<>();
        for (String name : names) {
            if (config.table(name) != null) {
                tables.add(name);
                shards.addAll(shardsHolding(name));
            }
        }
        return onPrimaries(lexed.original(), lexed.kind(), shards, params, lexed.firstKeyword() + " of "
                + String.join(", ", tables) + ": every shard holding " + (tables.size() == 1 ? "it" : "them"),
                Set.of(), true);
    }

    /**
     * Checks that the statement inside a DECLARE ... CURSOR or a PREPARE would run, as written, on the default shard,
     * where the outer statement goes and, after it, its FETCHes or EXECUTEs; returns the reason of the outer plan.
     */
    private String innerOnDefaultShard(LexedStatement outer, List<Object> params, SessionState session) {
        boolean cursor = outer.firstKeyword().equals("DECLARE");
        String what = cursor ? "DECLARE ... CURSOR" : "PREPARE";
        String lives = ": " + (cursor ? "a cursor" : "a prepared statement") + " lives on one connection, of the "
                + "default shard " + config.defaultShard() + ", ";
        String advice = cursor ? ". Run the query without a cursor (shardgate merges the shards' rows), or add a "
                + "shard-key condition that selects shard " + config.defaultShard()
                : ". Use your driver's prepared statements (protocol-level Parse/Bind), which shardgate routes on "
                + "each execution";
        String inner = outer.innerStatement();
        RoutableStatement statement = statements.get(inner);
        String table = tableOffDefaultShard(SqlLexer.identifiers(inner, dialect));
        String over = what + (table == null ? "" : " over " + describeTable(table)) + " is not supported through "
                + "shardgate" + lives;
        if (!cursor && statement.lexed().parameterCount() > 0) {
            // the values come with each EXECUTE, which names no table: where a sharded row lives cannot be known here
            if (table != null) {
                throw new RoutingException(over + "but where a statement with parameters must run depends on the "
                        + "values each EXECUTE passes" + advice);
            }
            return what + " with parameters on tables of the default shard " + config.defaultShard();
        }
        // a DECLARE's parameters are its query's ($n bound with the DECLARE), so the query routes with them
        RoutePlan plan = route(statement, cursor ? params : List.of(), session);
        if (plan.statements().size() != 1 || !plan.first().shard().equals(config.defaultShard())) {
            throw new RoutingException(over + "but its " + (cursor ? "query" : "statement") + " runs on "
                    + (plan.statements().size() == 1 ? "shard " + plan.first().shard()
                    : plan.statements().size() + " shards") + " (" + plan.reason() + ")" + advice);
        }
        if (!runsAsWritten(plan, inner)) {
            throw new RoutingException(over + "but its " + (cursor ? "query" : "statement") + " runs there only as "
                    + "shardgate rewrites it (a generated key, a split or merged statement)" + advice);
        }
        return what + " on the default shard, where its " + (cursor ? "query" : "statement") + " runs: "
                + plan.reason();
    }

    /** Whether {@code plan} runs {@code sql} itself, on one shard: no rewrite, no merge. */
    private static boolean runsAsWritten(RoutePlan plan, String sql) {
        return plan.statements().size() == 1 && plan.first().sql().equals(sql) && plan.merge() == null
                && plan.generatedKeys().isEmpty();
    }

    /** The first of {@code names} that is a configured table not living on the default shard alone, or null. */
    private String tableOffDefaultShard(List<String> names) {
        for (String name : names) {
            if (config.table(name) != null && !shardsHolding(name).equals(Set.of(config.defaultShard()))) {
                return name;
            }
        }
        return null;
    }

    /** What the default shard holds of a table that does not live on it alone. */
    private String defaultShardHolds(String table) {
        TableConfig tc = config.table(table);
        return tc.sharded() ? "only part of its rows" : tc.reference() ? "only one of its copies"
                : "none of it (it lives on shard " + tc.shard() + ")";
    }

    private String describeTable(String table) {
        TableConfig tc = config.table(table);
        return tc.sharded() ? "sharded table " + table
                : tc.reference() ? "reference table " + table : "table " + table + " (on shard " + tc.shard() + ")";
    }

    private RoutePlan ddl(LexedStatement lexed, List<Object> params) {
        List<String> tables = lexed.objectTables();
        Set<String> shards = new LinkedHashSet<>();
        String reason;
        if (tables.isEmpty()) {
            shards.addAll(allShards);
            reason = "DDL naming no table (schema, type, function, extension...): every shard, so that sharded "
                    + "tables can use it anywhere";
        } else {
            for (String t : tables) {
                shards.addAll(shardsHolding(t));
            }
            reason = "DDL on " + String.join(", ", tables) + ": every shard holding "
                    + (tables.size() == 1 ? "it" : "them");
        }
        return onPrimaries(lexed.original(), lexed.kind(), shards, params, reason, Set.copyOf(tables), true);
    }

    /**
     * {@code COPY (query) TO ...}: goes where the query would go. On one shard the COPY runs there; a query over
     * several shards would need its rows merged, which COPY does not do: refused with an error, not sent to one.
     */
    private RoutePlan copyQuery(LexedStatement lexed, String query, List<Object> params, SessionState session) {
        RoutePlan inner = route(statements.get(query), params, session);
        if (inner.statements().size() != 1) {
            throw new RoutingException(RoutingException.NOT_SUPPORTED, "COPY (query) TO: the query runs on "
                    + inner.statements().size() + " shards (" + inner.reason() + "), and COPY does not merge "
                    + "results; COPY the table itself (its shards' rows one after the other) or narrow the query "
                    + "to one shard");
        }
        ShardStatement s = inner.statements().get(0);
        return new RoutePlan(lexed.original(), lexed.kind(), List.of(new ShardStatement(s.shard(), s.role(),
                s.database(), lexed.original(), List.copyOf(params))), null, "COPY (query): " + inner.reason(),
                List.of(), Set.of(), false);
    }

    /** The query of {@code COPY (query) TO ...}, or null when the COPY names a table. */
    static String copyQuery(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n && Character.isWhitespace(sql.charAt(i))) {
            i++;
        }
        if (!sql.regionMatches(true, i, "copy", 0, 4)) {
            return null;
        }
        i += 4;
        while (i < n && Character.isWhitespace(sql.charAt(i))) {
            i++;
        }
        if (i >= n || sql.charAt(i) != '(') {
            return null;
        }
        int start = i + 1;
        int depth = 0;
        for (; i < n; i++) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int close = sql.indexOf(c, i + 1);
                while (close > 0 && close + 1 < n && sql.charAt(close + 1) == c) {
                    close = sql.indexOf(c, close + 2);
                }
                if (close < 0) {
                    return null;
                }
                i = close;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return sql.substring(start, i).trim();
            }
        }
        return null;
    }

    private RoutePlan copy(LexedStatement lexed, List<Object> params) {
        List<String> tables = lexed.objectTables();
        for (String t : tables) {
            TableConfig tc = config.table(t);
            if (tc != null && (tc.sharded() || tc.reference())) {
                throw new RoutingException("COPY on " + (tc.sharded() ? "sharded" : "reference") + " table " + t
                        + " is not supported through the JDBC driver; use INSERT batches, or COPY through the "
                        + "shardgate proxy, which splits rows by key");
            }
        }
        String shard = tables.isEmpty() ? config.defaultShard() : shardsHolding(tables.get(0)).iterator().next();
        RoutePlan plan = single(lexed.original(), lexed.kind(), shard, Role.PRIMARY, params, "COPY: shard " + shard);
        if (tables.isEmpty() || !COPY_FROM.matcher(lexed.original()).find()) {
            return plan;
        }
        // COPY ... FROM writes the table: reads right after it go to the primary (read-your-writes)
        return new RoutePlan(plan.sql(), plan.kind(), plan.statements(), null, plan.reason(), List.of(),
                Set.of(tables.get(0)), false);
    }

    /** {@code COPY table [(columns)] FROM}: the direction word after the table and its column list. */
    private static final java.util.regex.Pattern COPY_FROM = java.util.regex.Pattern.compile(
            "(?is)^\\s*copy\\s+[^(\\s]+\\s*(?:\\([^)]*\\))?\\s*from\\b");

    /** The shards on which {@code table} exists: all for sharded or reference tables, else its one shard. */
    Set<String> shardsHolding(String table) {
        TableConfig tc = config.table(table);
        if (tc == null) {
            return Set.of(config.defaultShard());
        }
        if (tc.reference()) {
            return new LinkedHashSet<>(allShards);
        }
        if (tc.sharded()) {
            return new LinkedHashSet<>(rules.get(tc.rule()).shards());
        }
        return Set.of(tc.shard());
    }

    RoutePlan onPrimaries(String sql, StatementKind kind, Set<String> shards, List<Object> params, String reason,
                          Set<String> written, boolean broadcast) {
        List<ShardStatement> statements = new ArrayList<>();
        for (String shard : orderedShards(shards)) {
            statements.add(new ShardStatement(shard, Role.PRIMARY, config.shard(shard).primary(), sql,
                    List.copyOf(params)));
        }
        return new RoutePlan(sql, kind, statements, null, reason, List.of(), written, broadcast);
    }

    /** Shards in configuration order, so that plans and their descriptions are deterministic. */
    List<String> orderedShards(Set<String> shards) {
        List<String> out = new ArrayList<>(shards.size());
        for (String s : allShards) {
            if (shards.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }
}
