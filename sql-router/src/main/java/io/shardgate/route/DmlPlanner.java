package io.shardgate.route;

import io.shardgate.analysis.TableRef;
import io.shardgate.analysis.LexedStatement;
import io.shardgate.analysis.StatementInfo;
import io.shardgate.analysis.StatementKind;
import io.shardgate.config.ShardgateConfig;
import io.shardgate.config.TableConfig;
import io.shardgate.merge.MergeSpec;
import io.shardgate.rule.RoutingException;
import io.shardgate.rule.ShardRule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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
    private final ShardgateConfig config;
    private final LexedStatement lexed;
    private final StatementInfo info;
    private final List<Object> params;
    private final SessionState session;
    private final StatementKind kind;
    final ValueResolver values;

    private final boolean sideEffects;

    DmlPlanner(Router router, RoutableStatement prepared, List<Object> params, SessionState session) {
        this.router = router;
        this.config = router.config();
        this.lexed = prepared.lexed();
        this.info = prepared.info();
        this.sideEffects = prepared.sideEffects();
        this.params = params;
        this.session = session;
        this.kind = info.kind();
        this.values = new ValueResolver(lexed, params);
    }

    RoutePlan plan() {
        if (lexed.parameterCount() > params.size()) {
            throw new RoutingException("08P01", "the statement has " + lexed.parameterCount()
                    + " parameters but " + params.size() + " values were bound");
        }
        boolean write = kind != StatementKind.SELECT;
        String target = write && !info.tables().isEmpty() ? info.tables().get(0).name() : null;

        Map<String, TableConfig> sharded = new LinkedHashMap<>();
        Set<String> referenced = new LinkedHashSet<>();
        Map<String, String> pinned = new LinkedHashMap<>();
        for (TableRef t : info.tables()) {
            TableConfig tc = config.table(t.name());
            if (tc == null) {
                pinned.put(t.name(), config.defaultShard());
            } else if (tc.sharded()) {
                sharded.put(t.name(), tc);
            } else if (tc.reference()) {
                referenced.add(t.name());
            } else {
                pinned.put(t.name(), tc.shard());
            }
        }
        Set<String> written = target == null ? Set.of() : Set.of(target);
        Set<String> read = new LinkedHashSet<>();
        for (TableRef t : info.tables()) {
            read.add(t.name());
        }

        String forced = lexed.hints().get("shard");
        if (forced != null) {
            if (config.shard(forced) == null) {
                throw new RoutingException("hint shardgate:shard=" + forced + " names an unknown shard (declared "
                        + "shards: " + config.shards().keySet() + ")");
            }
            return single(forced, write, read, written, "hint shardgate:shard=" + forced);
        }

        if (sharded.isEmpty()) {
            Set<String> pinnedShards = new LinkedHashSet<>(pinned.values());
            if (pinnedShards.size() > 1) {
                throw new RoutingException("the statement uses tables that live on different shards ("
                        + describePinned(pinned) + "); shardgate does not join across shards. Make the smaller "
                        + "table a reference table, or query each shard's tables separately");
            }
            if (write && referenced.contains(target)) {
                if (!pinnedShards.isEmpty()) {
                    throw new RoutingException("writing reference table " + target + " from " + describePinned(pinned)
                            + " would copy data that exists on one shard only into every shard; run the query on "
                            + "that shard and write the values");
                }
                return router.onPrimaries(lexed.original(), kind, new LinkedHashSet<>(router.allShards()), params,
                        "reference table " + target + ": written on every shard", written, true);
            }
            String shard = pinnedShards.isEmpty() ? config.defaultShard() : pinnedShards.iterator().next();
            String why = info.tables().isEmpty() ? "no table: default shard " + shard
                    : pinned.isEmpty() ? "reference table" + (referenced.size() > 1 ? "s " : " ")
                    + String.join(", ", referenced) + ": read from shard " + shard
                    : "unsharded table" + (pinned.size() > 1 ? "s " : " ") + String.join(", ", pinned.keySet())
                    + ": shard " + shard;
            return single(shard, write, read, written, why);
        }

        Set<String> ruleNames = new LinkedHashSet<>();
        for (TableConfig tc : sharded.values()) {
            ruleNames.add(tc.rule());
        }
        if (ruleNames.size() > 1) {
            StringBuilder sb = new StringBuilder();
            sharded.forEach((name, tc) -> sb.append(sb.length() == 0 ? "" : ", ").append(name).append(" (rule ")
                    .append(tc.rule()).append(')'));
            throw new RoutingException("the statement joins tables sharded by different rules: " + sb
                    + "; their rows are not co-located, so the join cannot run on one shard. Shard them by the same "
                    + "rule and key, or query them separately");
        }
        if (!pinned.isEmpty()) {
            String first = sharded.keySet().iterator().next();
            throw new RoutingException("the statement joins sharded table " + first + " (rule "
                    + sharded.get(first).rule() + ") with " + describePinned(pinned) + ", which exists on one shard "
                    + "only; declare it 'reference: true' (copied to every shard) or shard it by the same rule");
        }
        if (write && referenced.contains(target)) {
            throw new RoutingException("writing reference table " + target + " from sharded table "
                    + sharded.keySet().iterator().next() + " would give each shard's copy different rows; "
                    + "reference tables must be written with plain values");
        }
        String ruleName = ruleNames.iterator().next();
        ShardRule rule = router.rule(ruleName);

        if (kind == StatementKind.INSERT && info.insert() != null && !info.insert().fromSelect()
                && sharded.containsKey(target)) {
            return new InsertSplitter(this, lexed, info.insert(), sharded.get(target), rule).plan(written);
        }
        if (kind == StatementKind.INSERT && sharded.containsKey(target)) {
            throw new RoutingException("INSERT ... SELECT into sharded table " + target + " (rule " + ruleName
                    + "): shardgate cannot tell which shard each selected row belongs to; insert the rows with "
                    + "VALUES, or pin the statement to one shard with /* shardgate:shard=NAME */ if you know they "
                    + "all belong there");
        }
        if (kind == StatementKind.UPDATE && target != null && sharded.containsKey(target)) {
            String key = sharded.get(target).key();
            for (String column : info.updatedColumns()) {
                if (column.equals(key)) {
                    throw new RoutingException("UPDATE sets " + target + "." + key + ", the shard key of rule "
                            + ruleName + "; a new key may belong to another shard. Delete the row and insert it "
                            + "with the new key instead");
                }
            }
        }

        KeyConditions keys = new KeyConditions(values, info);
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
        Role role = readRole(read, reason);
        List<ShardStatement> statements = new ArrayList<>();
        for (String shard : router.orderedShards(shards)) {
            statements.add(statement(shard, role, rewrite.sql(), rewrite.parameters()));
        }
        return new RoutePlan(lexed.original(), kind, statements, rewrite.merge(), reason.toString(), List.of(),
                Set.of(), false, rewrite.starHiddenColumns());
    }

    private static RoutePlan withMerge(RoutePlan p, MergeSpec merge) {
        return new RoutePlan(p.sql(), p.kind(), p.statements(), merge, p.reason(), p.generatedKeys(),
                p.writtenTables(), p.broadcast());
    }

    private static Set<String> intersect(Set<String> a, Set<String> b) {
        a.retainAll(b);
        return a;
    }

    private static String describePinned(Map<String, String> pinned) {
        StringBuilder sb = new StringBuilder();
        pinned.forEach((t, s) -> sb.append(sb.length() == 0 ? "" : ", ").append(t).append(" on ").append(s));
        return sb.toString();
    }

    private RoutePlan single(String shard, boolean write, Set<String> read, Set<String> written, String reason) {
        StringBuilder why = new StringBuilder(reason);
        Role role = write ? Role.PRIMARY : readRole(read, why);
        return new RoutePlan(lexed.original(), kind, List.of(statement(shard, role, lexed.original(), params)), null,
                why.toString(), List.of(), written, false);
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

    /** PRIMARY or REPLICA for a read, appending the reason when the primary is forced. */
    private Role readRole(Set<String> tables, StringBuilder reason) {
        String forcedBy = null;
        if (lexed.forUpdate()) {
            forcedBy = "row lock";
        } else if (lexed.hints().containsKey("primary")) {
            forcedBy = "hint shardgate:primary";
        } else if (session.inTransaction() && !session.readOnly()) {
            forcedBy = "read-write transaction";
        } else if (!config.readWrite().replicaReads()) {
            forcedBy = "replica reads off";
        } else if (sideEffects) {
            forcedBy = "function with side effects";
        } else {
            for (String t : tables) {
                if (router.writeTracker().recentlyWritten(t)) {
                    forcedBy = "read-your-writes: " + t + " written within "
                            + config.readWrite().readYourWrites().toMillis() + "ms";
                    break;
                }
            }
        }
        if (forcedBy != null) {
            reason.append(" (primary: ").append(forcedBy).append(')');
            return Role.PRIMARY;
        }
        return Role.REPLICA;
    }

    Router router() {
        return router;
    }

    List<Object> params() {
        return params;
    }
}
