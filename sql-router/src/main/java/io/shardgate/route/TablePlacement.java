package io.shardgate.route;

import io.shardgate.analysis.StatementInfo;
import io.shardgate.analysis.StatementKind;
import io.shardgate.analysis.TableRef;
import io.shardgate.config.ShardgateConfig;
import io.shardgate.config.TableConfig;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the tables of one DML statement live under one configuration, and what follows from that alone: the shard of
 * a statement on unsharded tables (with its reason), the rule of one on sharded tables, or why the statement cannot
 * be routed at all. Depends on the statement's analysis and the configuration, never on values or the session, so
 * {@link RoutableStatement} keeps it for every text of a literal shape.
 *
 * @param error     why no key value or session can make the statement routable (thrown after the shard hint, which
 *                  overrides placement), or null
 * @param shard     the one shard of a statement without sharded tables, unless it writes a reference table
 * @param reason    why {@code shard} (the EXPLAIN ROUTE reason)
 * @param ruleName  the one rule of the sharded tables, null without sharded tables
 * @param unkeyedJoin why the sharded tables joined in FROM are not joined on their shard keys (each shard would
 *                  join only its own rows), or null; the statement is then routable only when its key conditions
 *                  put every one of them on the same single shard
 */
record TablePlacement(ShardgateConfig config, String target, Set<String> written, List<String> read,
                      Map<String, TableConfig> sharded, String error, boolean referenceWrite, String shard,
                      String reason, String ruleName, String unkeyedJoin) {

    static TablePlacement of(StatementInfo info, ShardgateConfig config) {
        StatementKind kind = info.kind();
        boolean write = kind != StatementKind.SELECT;
        String target = write && !info.tables().isEmpty() ? info.tables().get(0).name() : null;

        Map<String, TableConfig> sharded = new LinkedHashMap<>();
        Set<String> referenced = new LinkedHashSet<>();
        Map<String, String> pinned = new LinkedHashMap<>();
        Set<String> read = new LinkedHashSet<>();
        for (TableRef t : info.tables()) {
            read.add(t.name());
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
        Builder b = new Builder(config, target, written, List.copyOf(read),
                Collections.unmodifiableMap(sharded));

        if (sharded.isEmpty()) {
            Set<String> pinnedShards = new LinkedHashSet<>(pinned.values());
            if (pinnedShards.size() > 1) {
                return b.error("the statement uses tables that live on different shards (" + describePinned(pinned)
                        + "); shardgate does not join across shards. Make the smaller table a reference table, or "
                        + "query each shard's tables separately");
            }
            if (write && referenced.contains(target)) {
                if (!pinnedShards.isEmpty()) {
                    return b.error("writing reference table " + target + " from " + describePinned(pinned)
                            + " would copy data that exists on one shard only into every shard; run the query on "
                            + "that shard and write the values");
                }
                return b.unsharded(true, null, "reference table " + target + ": written on every shard");
            }
            String shard = pinnedShards.isEmpty() ? config.defaultShard() : pinnedShards.iterator().next();
            String why = info.tables().isEmpty() ? "no table: default shard " + shard
                    : pinned.isEmpty() ? "reference table" + (referenced.size() > 1 ? "s " : " ")
                    + String.join(", ", referenced) + ": read from shard " + shard
                    : "unsharded table" + (pinned.size() > 1 ? "s " : " ") + String.join(", ", pinned.keySet())
                    + ": shard " + shard;
            return b.unsharded(false, shard, why);
        }

        Set<String> ruleNames = new LinkedHashSet<>();
        for (TableConfig tc : sharded.values()) {
            ruleNames.add(tc.rule());
        }
        if (ruleNames.size() > 1) {
            StringBuilder sb = new StringBuilder();
            sharded.forEach((name, tc) -> sb.append(sb.length() == 0 ? "" : ", ").append(name).append(" (rule ")
                    .append(tc.rule()).append(')'));
            return b.error("the statement joins tables sharded by different rules: " + sb + "; their rows are not "
                    + "co-located, so the join cannot run on one shard. Shard them by the same rule and key, or "
                    + "query them separately");
        }
        if (!pinned.isEmpty()) {
            String first = sharded.keySet().iterator().next();
            return b.error("the statement joins sharded table " + first + " (rule " + sharded.get(first).rule()
                    + ") with " + describePinned(pinned) + ", which exists on one shard only; declare it "
                    + "'reference: true' (copied to every shard) or shard it by the same rule");
        }
        if (write && referenced.contains(target)) {
            return b.error("writing reference table " + target + " from sharded table "
                    + sharded.keySet().iterator().next() + " would give each shard's copy different rows; "
                    + "reference tables must be written with plain values");
        }
        String ruleName = ruleNames.iterator().next();
        if (kind == StatementKind.INSERT && sharded.containsKey(target)
                && (info.insert() == null || info.insert().fromSelect())) {
            return b.error("INSERT ... SELECT into sharded table " + target + " (rule " + ruleName
                    + "): shardgate cannot tell which shard each selected row belongs to; insert the rows with "
                    + "VALUES, or pin the statement to one shard with /* shardgate:shard=NAME */ if you know they "
                    + "all belong there");
        }
        if (kind == StatementKind.UPDATE && target != null && sharded.containsKey(target)) {
            String key = sharded.get(target).key();
            for (String column : info.updatedColumns()) {
                if (column.equals(key)) {
                    return b.error("UPDATE sets " + target + "." + key + ", the shard key of rule " + ruleName
                            + "; a new key may belong to another shard. Delete the row and insert it with the new key "
                            + "instead");
                }
            }
        }
        return b.sharded(ruleName, unkeyedJoin(info, sharded));
    }

    /**
     * Whether the sharded tables joined in FROM are all linked, directly or through each other, by equalities of
     * their shard keys ({@code o.user_id = u.id}); if not, which ones are not. Co-located tables hold matching rows
     * on the same shard only for a join on the key: {@code users u1 JOIN users u2 ON u1.name = u2.name} would find
     * on each shard only the pairs that shard holds.
     */
    static String unkeyedJoin(StatementInfo info, Map<String, TableConfig> sharded) {
        List<TableRef> refs = new java.util.ArrayList<>();
        for (TableRef t : info.joinedTables()) {
            if (sharded.containsKey(t.name())) {
                refs.add(t);
            }
        }
        if (refs.size() < 2) {
            return null;
        }
        int[] group = new int[refs.size()];
        for (int i = 0; i < group.length; i++) {
            group[i] = i;
        }
        keyEqualities(info.where(), refs, sharded, group);
        StringBuilder apart = new StringBuilder();
        for (int i = 0; i < refs.size(); i++) {
            if (root(group, i) != root(group, 0)) {
                apart.append(apart.length() == 0 ? "" : ", ").append(describe(refs.get(i)));
            }
        }
        if (apart.length() == 0) {
            return null;
        }
        TableRef first = refs.get(0);
        return "the statement joins " + describe(first) + " with " + apart + " on something other than their shard "
                + "keys (" + sharded.get(first.name()).key() + " of " + first.name() + ", rule "
                + sharded.get(first.name()).rule() + "): each shard would join only the rows it holds. Join them on "
                + "the shard keys, or add key conditions that put every one of them on the same shard";
    }

    private static String describe(TableRef t) {
        return t.alias() == null ? t.name() : t.name() + " " + t.alias();
    }

    private static void keyEqualities(io.shardgate.analysis.Predicate p, List<TableRef> refs,
                                      Map<String, TableConfig> sharded, int[] group) {
        if (p instanceof io.shardgate.analysis.Predicate.And and) {
            for (io.shardgate.analysis.Predicate part : and.parts()) {
                keyEqualities(part, refs, sharded, group);
            }
        } else if (p instanceof io.shardgate.analysis.Predicate.ColumnEquality eq) {
            int a = keyOf(eq.left(), refs, sharded);
            int b = keyOf(eq.right(), refs, sharded);
            if (a >= 0 && b >= 0) {
                group[root(group, a)] = root(group, b);
            }
        }
    }

    /** The joined table whose shard key {@code c} is, or -1 (another column, or no single table it can be). */
    private static int keyOf(io.shardgate.analysis.ColumnRef c, List<TableRef> refs, Map<String, TableConfig> sharded) {
        int found = -1;
        for (int i = 0; i < refs.size(); i++) {
            TableRef t = refs.get(i);
            boolean named = c.qualifier() == null || c.qualifier().equals(t.alias())
                    || t.alias() == null && c.qualifier().equals(t.name());
            if (named && c.column().equals(sharded.get(t.name()).key())) {
                if (found >= 0) {
                    return -1; // an unqualified key name two tables share: which one is meant is not known
                }
                found = i;
            }
        }
        return found;
    }

    private static int root(int[] group, int i) {
        int r = i;
        while (group[r] != r) {
            r = group[r];
        }
        return r;
    }

    private static String describePinned(Map<String, String> pinned) {
        StringBuilder sb = new StringBuilder();
        pinned.forEach((t, s) -> sb.append(sb.length() == 0 ? "" : ", ").append(t).append(" on ").append(s));
        return sb.toString();
    }

    /** The parts every outcome shares. */
    private record Builder(ShardgateConfig config, String target, Set<String> written, List<String> read,
                           Map<String, TableConfig> sharded) {
        TablePlacement error(String message) {
            return new TablePlacement(config, target, written, read, sharded, message, false, null, null, null, null);
        }

        TablePlacement unsharded(boolean referenceWrite, String shard, String reason) {
            return new TablePlacement(config, target, written, read, sharded, null, referenceWrite, shard, reason,
                    null, null);
        }

        TablePlacement sharded(String ruleName, String unkeyedJoin) {
            return new TablePlacement(config, target, written, read, sharded, null, false, null, null, ruleName,
                    unkeyedJoin);
        }
    }
}
