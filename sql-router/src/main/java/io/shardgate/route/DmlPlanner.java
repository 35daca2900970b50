package io.shardgate.route;

import io.shardgate.analysis.LexedStatement;
import io.shardgate.analysis.StatementInfo;
import io.shardgate.analysis.StatementKind;
import io.shardgate.config.ShardgateConfig;
import io.shardgate.config.TableConfig;
import io.shardgate.merge.MergeSpec;
import io.shardgate.rule.RoutingException;
import io.shardgate.rule.ShardRule;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plans one SELECT, INSERT, UPDATE or DELETE: which tables are involved and how they are placed, which shards the
 * key conditions allow, which role serves it, and (through {@link SelectMergePlanner} and {@link InsertSplitter})
 * how the text is rewritten per shard and merged back. Short-lived: one instance per statement.
 */
final class DmlPlanner {
    private final Router router;
    private final RoutableStatement prepared;
    private final ShardgateConfig config;
    private final LexedStatement lexed;
    private final StatementInfo info;
    private final List<Object> params;
    private final SessionState session;
    private final StatementKind kind;
    private ValueResolver values;

    private final boolean sideEffects;

    DmlPlanner(Router router, RoutableStatement prepared, List<Object> params, SessionState session) {
        this.router = router;
        this.prepared = prepared;
        this.config = router.config();
        this.lexed = prepared.lexed();
        this.info = prepared.info();
        this.sideEffects = prepared.sideEffects();
        this.params = params;
        this.session = session;
        this.kind = info.kind();
    }

    RoutePlan plan() {
        if (lexed.parameterCount() > params.size()) {
            throw new RoutingException("08P01", "the statement has " + lexed.parameterCount()
                    + " parameters but " + params.size() + " values were bound");
        }
        TablePlacement placement = prepared.placement(config);
        boolean write = kind != StatementKind.SELECT;
        String target = placement.target();
        Set<String> written = placement.written();
        List<String> read = placement.read();

        String forced = lexed.hints().get("shard");
        if (forced != null) {
            if (config.shard(forced) == null) {
                throw new RoutingException("hint shardgate:shard=" + forced + " names an unknown shard (declared "
                        + "shards: " + config.shards().keySet() + ")");
            }
            return single(forced, write, read, written, "hint shardgate:shard=" + forced);
        }
        if (placement.error() != null) {
            throw new RoutingException(placement.error());
        }
        if (placement.referenceWrite()) {
            return router.onPrimaries(lexed.original(), kind, new LinkedHashSet<>(router.allShards()), params,
                    placement.reason(), written, true);
        }
        if (placement.shard() != null) {
            return single(placement.shard(), write, read, written, placement.reason());
        }

        Map<String, TableConfig> sharded = placement.sharded();
        String ruleName = placement.ruleName();
        ShardRule rule = router.rule(ruleName);
        if (kind == StatementKind.INSERT && sharded.containsKey(target)) { // VALUES: INSERT ... SELECT failed above
            return new InsertSplitter(this, lexed, info.insert(), sharded.get(target), rule).plan(written);
        }

        KeyConditions keys = new KeyConditions(values(), info);
        Set<String> shards = null;
        StringBuilder reason = new StringBuilder();
        for (Map.Entry<String, TableConfig> e : sharded.entrySet()) {
            Set<String> forTable = keys.shards(e.getKey(), e.getValue().key(), rule);
            if (forTable != null) {
                shards = shards == null ? new LinkedHashSet<>(forTable) : intersect(shards, forTable);
                if (reason.length() == 0) {
                    reason.append(e.getKey()).append('.').append(e.getValue().key()).append(" by rule ")
                            .append(ruleName).append(": ");
                }
            }
        }
        if (placement.unkeyedJoin() != null) {
            requireOneShardForEveryJoinedTable(keys, sharded, rule, placement.unkeyedJoin());
        }
        boolean scatter = shards == null;
        if (scatter) {
            String table = target != null && sharded.containsKey(target) ? target : sharded.keySet().iterator().next();
            if (write && !config.allowScatterWrites()) {
                throw new RoutingException(kind + " on " + table + " has no condition on its shard key "
                        + sharded.get(table).key() + " (rule " + ruleName + "), so it would change every shard; add "
                        + "a condition such as " + sharded.get(table).key() + " = ? or " + sharded.get(table).key()
                        + " IN (...), or set allow-scatter-writes: true in the configuration");
            }
            shards = new LinkedHashSet<>(rule.shards());
            reason.append("no condition on the shard key of ").append(table).append(" (rule ").append(ruleName)
                    .append("): every shard");
        } else if (shards.isEmpty()) {
            // the key conditions exclude every row (e.g. key = NULL): any one shard gives the right, empty answer
            shards.add(rule.shards().get(0));
            reason.append("no key can match: shard ").append(rule.shards().get(0));
        } else {
            reason.append(shards.size() == 1 ? "shard " : "shards ").append(String.join(", ",
                    router.orderedShards(shards)));
        }

        if (shards.size() == 1) {
            return single(shards.iterator().next(), write, read, written, reason.toString());
        }
        if (write) {
            RoutePlan plan = router.onPrimaries(lexed.original(), kind, shards, params, reason.toString(), written,
                    false);
            return lexed.returning() ? withMerge(plan, MergeSpec.concat(0)) : plan;
        }
        SelectMergePlanner.Rewrite rewrite = new SelectMergePlanner(this, lexed, info, sharded, config.dialect())
                .plan();
        String forcedToPrimary = primaryForcedBy(read);
        Role role = forcedToPrimary == null ? Role.REPLICA : Role.PRIMARY;
        String why = forcedToPrimary == null ? reason.toString() : withPrimaryReason(reason.toString(), forcedToPrimary);
        List<ShardStatement> statements = new ArrayList<>();
        for (String shard : router.orderedShards(shards)) {
            statements.add(statement(shard, role, rewrite.sql(), rewrite.parameters()));
        }
        return new RoutePlan(lexed.original(), kind, statements, rewrite.merge(), why, List.of(),
                Set.of(), false, rewrite.starHiddenColumns());
    }

    /**
     * Tables joined on something other than their shard keys give the right rows only when every one of them is
     * restricted, by its own key conditions, to one and the same shard ({@code u1.id = 5 AND u2.id = 5}).
     */
    private void requireOneShardForEveryJoinedTable(KeyConditions keys, Map<String, TableConfig> sharded,
                                                    ShardRule rule, String why) {
        String common = null;
        for (io.shardgate.analysis.TableRef t : info.joinedTables()) {
            TableConfig tc = sharded.get(t.name());
            if (tc == null) {
                continue;
            }
            Set<String> own = keys.shards(t, tc.key(), rule);
            if (own == null || own.size() != 1 || common != null && !common.equals(own.iterator().next())) {
                throw new RoutingException(why);
            }
            common = own.iterator().next();
        }
    }

    private static RoutePlan withMerge(RoutePlan p, MergeSpec merge) {
        return new RoutePlan(p.sql(), p.kind(), p.statements(), merge, p.reason(), p.generatedKeys(),
                p.writtenTables(), p.broadcast());
    }

    private static Set<String> intersect(Set<String> a, Set<String> b) {
        a.retainAll(b);
        return a;
    }

    private RoutePlan single(String shard, boolean write, List<String> read, Set<String> written, String reason) {
        String forcedToPrimary = write ? null : primaryForcedBy(read);
        Role role = write || forcedToPrimary != null ? Role.PRIMARY : Role.REPLICA;
        String why = forcedToPrimary == null ? reason : withPrimaryReason(reason, forcedToPrimary);
        return new RoutePlan(lexed.original(), kind, List.of(statement(shard, role, lexed.original(), params)), null,
                why, List.of(), written, false);
    }

    ShardStatement statement(String shard, Role role, String sql, List<Object> parameters) {
        String database = null;
        if (role == Role.REPLICA) {
            database = router.topology().pickReplica(shard);
        }
        if (database == null) {
            role = Role.PRIMARY;
            database = config.shard(shard).primary();
        }
        return new ShardStatement(shard, role, database, sql, parameters);
    }

    /** Why a read must go to the primary, or null when a replica may serve it. */
    private String primaryForcedBy(List<String> tables) {
        if (lexed.forUpdate()) {
            return "row lock";
        }
        if (lexed.hints().containsKey("primary")) {
            return "hint shardgate:primary";
        }
        if (session.inTransaction() && !session.readOnly()) {
            return "read-write transaction";
        }
        if (!config.readWrite().replicaReads()) {
            return "replica reads off";
        }
        if (sideEffects) {
            return "function with side effects";
        }
        for (int i = 0; i < tables.size(); i++) { // by index: no iterator on every read's path
            String t = tables.get(i);
            if (router.writeTracker().recentlyWritten(t)) {
                return "read-your-writes: " + t + " written within " + config.readWrite().readYourWrites().toMillis()
                        + "ms";
            }
        }
        return null;
    }

    private static String withPrimaryReason(String reason, String forcedBy) {
        return reason + " (primary: " + forcedBy + ')';
    }

    /** The statement's values (literals and bound parameters); made when first asked for, as most plans need none. */
    ValueResolver values() {
        if (values == null) {
            values = new ValueResolver(lexed, params);
        }
        return values;
    }

    Router router() {
        return router;
    }

    List<Object> params() {
        return params;
    }
}
