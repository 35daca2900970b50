package io.shardgate.route;

import io.shardgate.analysis.ColumnRef;
import io.shardgate.analysis.Predicate;
import io.shardgate.analysis.ValueRef;
import io.shardgate.analysis.TableRef;
import io.shardgate.analysis.StatementInfo;
import io.shardgate.rule.ShardRule;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Evaluates the WHERE (and JOIN ... ON) conditions of a statement against one sharded table's rule: the set of
 * shards that can hold matching rows, or null when the conditions do not narrow it (every shard). AND intersects,
 * OR unites, anything unreadable counts as "every shard": the answer may be too wide, never too narrow.
 */
final class KeyConditions {
    private final ValueResolver values;
    private final StatementInfo info;

    KeyConditions(ValueResolver values, StatementInfo info) {
        this.values = values;
        this.info = info;
    }

    Set<String> shards(String table, String key, ShardRule rule) {
        return eval(info.where(), table, aliasOf(table), key, rule);
    }

    /** The same for one occurrence of a table in FROM, by its own alias: one side of a self-join. */
    Set<String> shards(TableRef ref, String key, ShardRule rule) {
        return eval(info.where(), ref.name(), ref.alias(), key, rule);
    }

    private String aliasOf(String table) {
        for (TableRef t : info.tables()) {
            if (t.name().equals(table) && t.alias() != null) {
                return t.alias();
            }
        }
        return null;
    }

    private Set<String> eval(Predicate p, String table, String alias, String key, ShardRule rule) {
        if (p instanceof Predicate.And and) {
            Set<String> acc = null;
            for (Predicate c : and.parts()) {
                Set<String> r = eval(c, table, alias, key, rule);
                if (r != null) {
                    if (acc == null) {
                        acc = new LinkedHashSet<>(r);
                    } else {
                        acc.retainAll(r);
                    }
                }
            }
            return acc;
        }
        if (p instanceof Predicate.Or or) {
            Set<String> acc = new LinkedHashSet<>();
            for (Predicate c : or.parts()) {
                Set<String> r = eval(c, table, alias, key, rule);
                if (r == null) {
                    return null;
                }
                acc.addAll(r);
            }
            return acc;
        }
        if (p instanceof Predicate.Comparison c) {
            if (!matches(c.column(), table, alias, key)) {
                return null;
            }
            return comparison(c, rule);
        }
        if (p instanceof Predicate.RowIn r) {
            int index = -1;
            for (int i = 0; i < r.columns().size(); i++) {
                if (matches(r.columns().get(i), table, alias, key)) {
                    index = i;
                }
            }
            if (index < 0) {
                return null;
            }
            Set<String> out = new LinkedHashSet<>();
            for (List<ValueRef> row : r.rows()) {
                Object v = values.value(row.get(index));
                if (v == ValueResolver.UNKNOWN) {
                    return null;
                }
                if (v != null) {
                    out.add(rule.shardFor(v));
                }
            }
            return out;
        }
        return null;
    }

    private Set<String> comparison(Predicate.Comparison c, ShardRule rule) {
        Object[] v = new Object[c.values().size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.value(c.values().get(i));
            if (v[i] == ValueResolver.UNKNOWN) {
                return null;
            }
        }
        Set<String> out = new LinkedHashSet<>();
        switch (c.op()) {
            case EQ, IN -> {
                for (Object value : v) {
                    if (value != null) {
                        out.add(rule.shardFor(value));
                    }
                }
                return out;
            }
            case ANY -> {
                List<Object> elements = ArrayValues.elements(v[0]);
                if (elements == null) {
                    return null;
                }
                for (Object value : elements) {
                    if (value != null) {
                        out.add(rule.shardFor(value));
                    }
                }
                return out;
            }
            case LT -> {
                return v[0] == null ? out : rule.shardsForRange(null, false, v[0], false);
            }
            case LE -> {
                return v[0] == null ? out : rule.shardsForRange(null, false, v[0], true);
            }
            case GT -> {
                return v[0] == null ? out : rule.shardsForRange(v[0], false, null, false);
            }
            case GE -> {
                return v[0] == null ? out : rule.shardsForRange(v[0], true, null, false);
            }
            case BETWEEN -> {
                return v[0] == null || v[1] == null ? out : rule.shardsForRange(v[0], true, v[1], true);
            }
            default -> {
                return null;
            }
        }
    }

    /** An unqualified column matches any table whose key has that name; the tables then share the rule. */
    private static boolean matches(ColumnRef column, String table, String alias, String key) {
        if (!column.column().equals(key)) {
            return false;
        }
        String q = column.qualifier();
        return q == null || q.equals(table) || q.equals(alias);
    }
}
