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
 * {@code broadcast} marks a write applied alike to every copy of a reference table (or DDL on every shard): the
 * caller reports the update count of one shard, not the sum.
 */
public record RoutePlan(String sql, StatementKind kind, List<ShardStatement> statements, MergeSpec merge,
                        String reason, List<Long> generatedKeys, Set<String> writtenTables,
                        boolean broadcast, int starHiddenColumns) {

    public RoutePlan(String sql, StatementKind kind, List<ShardStatement> statements, MergeSpec merge, String reason,
                     List<Long> generatedKeys, Set<String> writtenTables, boolean broadcast) {
        this(sql, kind, statements, merge, reason, generatedKeys, writtenTables, broadcast, -1);
    }

    /**
     * The merge for shards that returned {@code columns} columns. Differs from {@link #merge()} only when the
     * visible column count was unknown at planning ({@code SELECT *}): the hidden columns the merge uses come last.
     */
    public MergeSpec mergeFor(int columns) {
        if (merge == null || (merge.visibleColumns() > 0 && starHiddenColumns < 0)) {
            return merge;
        }
        int hidden = Math.max(starHiddenColumns, 0);
        int visible = columns - hidden;
        int shift = starHiddenColumns > 0 ? visible : 0;
        List<io.shardgate.merge.SortKey> sort = new ArrayList<>();
        for (io.shardgate.merge.SortKey k : merge.sort()) {
            sort.add(new io.shardgate.merge.SortKey(k.column() + shift, k.descending(), k.nullsFirst()));
        }
        List<Integer> groupBy = new ArrayList<>();
        for (int g : merge.groupBy()) {
            groupBy.add(g + shift);
        }
        return new MergeSpec(visible, sort, merge.offset(), merge.limit(), groupBy, merge.aggregates(),
                merge.distinct(), merge.having());
    }

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
            sb.append("merge: ").append(merge.describe()).append('\n');
        }
        return sb.toString();
    }
}
