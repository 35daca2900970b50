package io.shardgate.route;

import io.shardgate.analysis.StatementKind;
import io.shardgate.merge.MergeSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where one logical statement goes and how its results come back: a value, printable and comparable, separate from
 * its execution. {@code merge} is null when the caller can hand the single physical result through unchanged.
 * {@code generatedKeys} holds the ids shardgate generated for an INSERT (in row order), {@code writtenTables} the
 * tables the statement changes (for read-your-writes), {@code reason} why these shards were chosen.
 */
public record RoutePlan(String sql, StatementKind kind, List<ShardStatement> statements, MergeSpec merge,
                        String reason, List<Long> generatedKeys, Set<String> writtenTables) {

    public boolean singleShard() {
        return statements.size() == 1;
    }

    public ShardStatement first() {
        return statements.get(0);
    }

    /** The EXPLAIN ROUTE rows: shard, role, database, sql; one per physical statement, in execution order. */
    public List<List<String>> explainRows() {
        List<List<String>> rows = new ArrayList<>(statements.size());
        for (ShardStatement s : statements) {
            rows.add(List.of(s.shard(), s.role().label(), s.database(), s.sql()));
        }
        return rows;
    }

    /** Deterministic text: what EXPLAIN ROUTE shows, as one string, for tests and the offline explain. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (ShardStatement s : statements) {
            sb.append(s.shard()).append(' ').append(s.role().label()).append(' ').append(s.database()).append(": ")
                    .append(s.sql());
            if (!s.parameters().isEmpty()) {
                sb.append(" -- params ").append(s.parameters());
            }
            sb.append('\n');
        }
        if (merge != null) {
            sb.append("merge: ").append(describeMerge()).append('\n');
        }
        return sb.toString();
    }

    private String describeMerge() {
        List<String> parts = new ArrayList<>();
        if (!merge.sort().isEmpty()) {
            parts.add("sort " + merge.sort());
        }
        if (!merge.groupBy().isEmpty()) {
            parts.add("group " + merge.groupBy());
        }
        if (!merge.aggregates().isEmpty()) {
            parts.add("aggregate " + merge.aggregates());
        }
        if (merge.distinct()) {
            parts.add("distinct");
        }
        if (merge.offset() > 0) {
            parts.add("offset " + merge.offset());
        }
        if (merge.limit() >= 0) {
            parts.add("limit " + merge.limit());
        }
        if (merge.having() != null) {
            parts.add("having");
        }
        return parts.isEmpty() ? "concat" : String.join(", ", parts);
    }
}
