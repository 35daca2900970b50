package io.shardgate.route;

import io.shardgate.analysis.InsertInfo;
import io.shardgate.analysis.LexedStatement;
import io.shardgate.analysis.StatementInfo;
import io.shardgate.analysis.StatementKind;
import io.shardgate.config.TableConfig;
import io.shardgate.rule.RoutingException;
import io.shardgate.rule.ShardRule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Routes an INSERT ... VALUES into a sharded table row by row: each row's key picks its shard, a multi-row INSERT
 * becomes one INSERT per shard holding only that shard's rows, and a generated key column the INSERT omits is added
 * with fresh ids. The text sent is the original with the row list spliced; parameters follow the rows they belong
 * to ({@code ?}) or are renumbered ({@code $n}) so that each shard's statement is complete on its own.
 */
final class InsertSplitter {
    private final DmlPlanner planner;
    private final LexedStatement lexed;
    private final InsertInfo insert;
    private final TableConfig table;
    private final ShardRule rule;

    InsertSplitter(DmlPlanner planner, LexedStatement lexed, InsertInfo insert, TableConfig table,
                   ShardRule rule) {
        this.planner = planner;
        this.lexed = lexed;
        this.insert = insert;
        this.table = table;
        this.rule = rule;
    }

    RoutePlan plan(Set<String> written) {
        List<String> columns = insert.columns();
        String key = table.key();
        String generated = table.generatedKey();
        if (columns.isEmpty()) {
            throw new RoutingException("INSERT into " + table.name() + " has no column list; name the columns, "
                    + "so that shardgate can find the shard key " + key + " (rule " + rule.name() + ")");
        }
        boolean generate = generated != null && !columns.contains(generated);
        int keyIndex = columns.indexOf(key);
        boolean keyGenerated = generate && generated.equals(key);
        if (keyIndex < 0 && !keyGenerated) {
            throw new RoutingException("INSERT into " + table.name() + " does not set its shard key " + key
                    + " (rule " + rule.name() + "); add the column and its value"
                    + (generated == null ? ", or declare it generated-key: " + key + " in the table's configuration" : ""));
        }
        int rowCount = insert.rows().size();
        List<Long> ids = new ArrayList<>(generate ? rowCount : 0);
        Map<String, List<Integer>> rowsByShard = new LinkedHashMap<>();
        for (int r = 0; r < rowCount; r++) {
            Long id = null;
            if (generate) {
                id = planner.router().ids().next();
                ids.add(id);
            }
            Object value = keyGenerated ? id : planner.values().value(insert.rows().get(r).get(keyIndex));
            if (value == ValueResolver.UNKNOWN) {
                throw new RoutingException("the shard key " + key + " of row " + (r + 1) + " inserted into "
                        + table.name() + " is an expression; shardgate routes by value, so pass the value itself");
            }
            if (value == null) {
                throw new RoutingException("22004", "row " + (r + 1) + " inserted into " + table.name()
                        + " has a NULL shard key " + key + " (rule " + rule.name() + "); every row needs a key");
            }
            rowsByShard.computeIfAbsent(rule.placeNew(value), s -> new ArrayList<>()).add(r);
        }

        String why = table.name() + "." + key + " by rule " + rule.name() + ": "
                + (rowCount == 1 ? "shard " + rowsByShard.keySet().iterator().next()
                : rowCount + " rows on shards " + String.join(", ", planner.router().orderedShards(rowsByShard.keySet())));
        List<ShardStatement> statements = new ArrayList<>();
        List<Long> orderedIds = new ArrayList<>(ids.size());
        for (String shard : planner.router().orderedShards(rowsByShard.keySet())) {
            List<Integer> rows = rowsByShard.get(shard);
            boolean allRows = rows.size() == rowCount;
            if (allRows && !generate) {
                statements.add(planner.statement(shard, Role.PRIMARY, lexed.original(), planner.params()));
            } else {
                statements.add(rewrite(shard, rows, generate ? generated : null, ids));
            }
            for (int r : rows) {
                if (generate) {
                    orderedIds.add(ids.get(r));
                }
            }
        }
        return new RoutePlan(lexed.original(), StatementKind.INSERT, statements,
                statements.size() > 1 && lexed.returning() ? io.shardgate.merge.MergeSpec.concat(0) : null,
                why, generate ? List.copyOf(ids) : List.of(), written, false);
    }

    private ShardStatement rewrite(String shard, List<Integer> rows, String generatedColumn, List<Long> ids) {
        String original = lexed.original();
        List<int[]> spans = insert.rowSpans();
        int regionStart = lexed.toOriginalOffset(spans.get(0)[0]);
        int regionEnd = lexed.toOriginalOffset(spans.get(spans.size() - 1)[1]);
        SqlEdits edits = new SqlEdits(original);
        if (generatedColumn != null) {
            int close = lexed.normalized().lastIndexOf(')', spans.get(0)[0] - 1);
            if (close < 0) {
                throw new IllegalStateException("[BUG] no column list before VALUES in " + lexed.normalized());
            }
            edits.insert(lexed.toOriginalOffset(close), ", " + generatedColumn);
        }
        StringBuilder rowText = new StringBuilder();
        for (int r : rows) {
            int start = lexed.toOriginalOffset(spans.get(r)[0]);
            int end = lexed.toOriginalOffset(spans.get(r)[1]);
            if (rowText.length() > 0) {
                rowText.append(", ");
            }
            if (generatedColumn != null) {
                int close = original.lastIndexOf(')', end - 1);
                rowText.append(original, start, close).append(", ").append(ids.get(r)).append(original, close, end);
            } else {
                rowText.append(original, start, end);
            }
        }
        edits.replace(regionStart, regionEnd, rowText.toString());

        // which parameter occurrences survive: those outside the row list, and those of the kept rows
        List<Object> params = planner.params();
        List<LexedStatement.Slot> slots = lexed.slots();
        List<int[]> keptOccurrences = new ArrayList<>(); // {originalStart, originalEnd, paramIndex}
        for (LexedStatement.Slot s : slots) {
            if (s.kind() != LexedStatement.SlotKind.PARAM) {
                continue;
            }
            boolean inRegion = s.start() >= regionStart && s.start() < regionEnd;
            if (!inRegion || rows.contains(rowOf(s.start(), spans))) {
                keptOccurrences.add(new int[]{s.start(), s.end(), s.paramIndex()});
            }
        }
        keptOccurrences.addAll(tailParameters(original));

        List<Object> shardParams = new ArrayList<>();
        if (lexed.dollarParameters()) {
            TreeMap<Integer, Integer> renumber = new TreeMap<>();
            for (int[] o : keptOccurrences) {
                renumber.put(o[2], 0);
            }
            int next = 1;
            for (Map.Entry<Integer, Integer> e : renumber.entrySet()) {
                e.setValue(next++);
                shardParams.add(params.get(e.getKey()));
            }
            // occurrences inside the kept rows were copied into rowText; renumber the final text by re-splicing
            String text = edits.apply();
            return planner.statement(shard, Role.PRIMARY, DollarParameters.renumber(text, renumber,
                    planner.router().dialect()), shardParams);
        }
        keptOccurrences.sort((a, b) -> Integer.compare(a[0], b[0]));
        for (int[] o : keptOccurrences) {
            shardParams.add(params.get(o[2]));
        }
        return planner.statement(shard, Role.PRIMARY, edits.apply(), shardParams);
    }

    private int rowOf(int originalOffset, List<int[]> spans) {
        for (int r = 0; r < spans.size(); r++) {
            int start = lexed.toOriginalOffset(spans.get(r)[0]);
            int end = lexed.toOriginalOffset(spans.get(r)[1]);
            if (originalOffset >= start && originalOffset < end) {
                return r;
            }
        }
        return -1;
    }

    /** Parameters in the cut-off tail (RETURNING, ON CONFLICT ... DO UPDATE SET x = ?), which follow the rows. */
    private List<int[]> tailParameters(String original) {
        List<int[]> out = new ArrayList<>();
        String tail = lexed.tail();
        if (tail.isEmpty()) {
            return out;
        }
        int tailStart = original.lastIndexOf(tail);
        int normalizedParams = 0;
        for (LexedStatement.Slot s : lexed.slots()) {
            if (s.kind() == LexedStatement.SlotKind.PARAM) {
                normalizedParams++;
            }
        }
        for (int[] p : DollarParameters.scan(tail, planner.router().dialect())) {
            int index = p[2] >= 0 ? p[2] : normalizedParams++;
            out.add(new int[]{tailStart + p[0], tailStart + p[1], index});
        }
        return out;
    }
}
