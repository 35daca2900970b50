package io.shardgate.route;

import io.shardgate.analysis.ColumnRef;
import io.shardgate.analysis.ValueRef;
import io.shardgate.analysis.SelectShape;
import io.shardgate.analysis.LexedStatement;
import io.shardgate.analysis.StatementInfo;
import io.shardgate.config.Dialect;
import io.shardgate.config.TableConfig;
import io.shardgate.merge.AggregateColumn;
import io.shardgate.merge.AggregateFunction;
import io.shardgate.merge.MergeSpec;
import io.shardgate.merge.RowFilter;
import io.shardgate.merge.SortKey;
import io.shardgate.rule.RoutingException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Plans a SELECT that runs on several shards: what each shard runs (the original text with LIMIT widened to
 * LIMIT offset+limit, AVG turned into SUM plus a hidden COUNT, hidden ORDER BY / GROUP BY columns appended, HAVING
 * lifted out when groups span shards) and the {@link MergeSpec} that turns the shards' rows into the one answer.
 * Whatever it cannot merge correctly it refuses, saying why; it never returns a wrong answer.
 *
 * <p>Hidden columns are appended after the visible ones. With {@code SELECT *} the visible column count is known only
 * at execution; every column the merge uses is then a hidden one, numbered from 0, and
 * {@link RoutePlan#mergeFor(int)} shifts them once the shards' column count is known.
 */
final class SelectMergePlanner {
    record Rewrite(String sql, List<Object> parameters, MergeSpec merge, int starHiddenColumns) {
    }

    private final DmlPlanner planner;
    private final LexedStatement lexed;
    private final StatementInfo info;
    private final SelectShape shape;
    private final Map<String, TableConfig> sharded;
    private final Dialect dialect;
    private final SqlEdits edits;
    private final List<String> hidden = new ArrayList<>();
    private final boolean star;

    SelectMergePlanner(DmlPlanner planner, LexedStatement lexed, StatementInfo info, Map<String, TableConfig> sharded,
                       Dialect dialect) {
        this.planner = planner;
        this.lexed = lexed;
        this.info = info;
        this.shape = info.select();
        this.sharded = sharded;
        this.dialect = dialect;
        this.edits = new SqlEdits(lexed.original());
        boolean anyStar = false;
        if (shape != null) {
            for (SelectShape.SelectItem item : shape.items()) {
                anyStar |= item.star();
            }
        }
        this.star = anyStar;
    }

    Rewrite plan() {
        if (!info.parsedByCalcite()) {
            return unparsed();
        }
        if (shape == null) {
            return new Rewrite(lexed.original(), planner.params(), MergeSpec.concat(0), -1);
        }
        if (shape.hasSetOperation()) {
            throw refuse("UNION, INTERSECT and EXCEPT are evaluated per shard, which would not combine rows "
                    + "across shards; run each side separately");
        }
        if (shape.hasWindowFunction()) {
            throw refuse("window functions need every row of a partition on one shard");
        }
        for (String table : shape.perShardSubqueryTables()) {
            if (sharded.containsKey(table)) {
                throw refuse("a subquery on " + table + " would be answered by each shard from its own rows (it is "
                        + "not tied to the outer row and aggregates, limits or deduplicates, or the SELECT has no FROM); "
                        + "add a shard-key condition to it so it runs on one shard, or run it first and pass its result");
            }
        }
        boolean localGroups = groupsAreShardLocal();
        // an aggregate inside an expression (count(*)::int) counts too: the shards' rows must not just be concatenated
        boolean aggregating = !localGroups && (!shape.groupBy().isEmpty() || hasAggregates()
                || shape.hasUnmergeableAggregate());
        if (shape.unsupportedReason() != null && shape.unsupportedReason().contains("derived table")) {
            // a derived table or CTE that groups, limits or deduplicates is evaluated on each shard's rows alone
            throw refuse("a " + shape.unsupportedReason() + " is evaluated on each shard's rows alone; move the "
                    + "grouping or limit to the outer query, or add a shard-key condition");
        }
        if (aggregating) {
            for (SelectShape.SelectItem item : shape.items()) {
                if (item.distinctAggregate()) {
                    throw refuse(item.aggregate() + "(DISTINCT ...) across shards would count values present on "
                            + "several shards more than once; group by the shard key, or query one shard");
                }
            }
            if (shape.unsupportedReason() != null) {
                throw refuse(shape.unsupportedReason() + "; select the aggregates themselves, group by the shard "
                        + "key, or query one shard");
            }
        }

        List<AggregateColumn> aggregates = new ArrayList<>();
        List<Integer> groupBy = new ArrayList<>();
        RowFilter having = null;
        if (aggregating) {
            List<SelectShape.SelectItem> items = shape.items();
            for (int i = 0; i < items.size(); i++) {
                SelectShape.SelectItem item = items.get(i);
                if (item.aggregate() == SelectShape.Aggregate.NONE) {
                    continue;
                }
                if (item.zeroDefault() != null && !isZero(planner.values().value(item.zeroDefault()))) {
                    throw refuse("coalesce(" + item.aggregate() + "(...), d) across shards merges only with d = 0 "
                            + "(an empty shard would add d); use 0, or apply the default in the outer query");
                }
                if (item.aggregate() == SelectShape.Aggregate.AVG) {
                    String argument = valueFree(originalText(item.argStart(), item.argEnd()), "AVG");
                    int roundScale = -1;
                    if (item.roundScale() != null) {
                        // round(avg(x), n): the whole item becomes SUM(x); the merger rounds the merged average.
                        // A parameter for n would vanish from the shard SQL and shift the others: refused
                        valueFree(originalText(item.start(), item.end()), "round(AVG)");
                        roundScale = roundScale(planner.values().value(item.roundScale()));
                        edits.replace(lexed.toOriginalOffset(item.start()), lexed.toOriginalOffset(item.end()),
                                "SUM(" + argument + ")");
                    } else {
                        edits.replace(lexed.toOriginalOffset(item.start()), lexed.toOriginalOffset(item.argStart()),
                                "SUM(");
                    }
                    int count = addHidden("COUNT(" + argument + ")");
                    aggregates.add(new AggregateColumn(i, AggregateFunction.AVG, count, roundScale));
                } else {
                    aggregates.add(new AggregateColumn(i, AggregateFunction.valueOf(item.aggregate().name()), -1));
                }
            }
            for (SelectShape.GroupKey g : shape.groupBy()) {
                groupBy.add(g.itemIndex() >= 0 ? g.itemIndex() : addHidden(expressionText(g.expression(), "GROUP BY")));
            }
            if (shape.having() != null) {
                having = new HavingCompiler(this, planner.values(), aggregates).compile(shape.having());
                int[] span = havingClause();
                edits.replace(lexed.toOriginalOffset(span[0]), lexed.toOriginalOffset(span[1]), "");
            }
        }

        List<SortKey> sort = new ArrayList<>();
        for (SelectShape.OrderKey k : shape.orderBy()) {
            int column;
            if (k.itemIndex() >= 0 && !starBefore(k.itemIndex())) {
                column = k.itemIndex();
            } else if (aggregating && AGGREGATE_WORD.matcher(k.expression()).find()) {
                column = hiddenAggregate(k.expression(), aggregates);
            } else {
                column = addHidden(expressionText(k.expression(), "ORDER BY"));
            }
            boolean nullsFirst = k.nullsFirst() != null ? k.nullsFirst() : dialect.nullsFirstByDefault(k.descending());
            sort.add(new SortKey(column, k.descending(), nullsFirst));
        }
        if (shape.distinct() && !hidden.isEmpty()) {
            throw refuse("SELECT DISTINCT with ORDER BY or GROUP BY expressions that are not selected cannot be "
                    + "merged; select them too");
        }

        Long limit = planner.values().count(shape.limit(), "LIMIT");
        Long offset = planner.values().count(shape.offset(), "OFFSET");
        long off = offset == null ? 0 : offset;
        if (shape.limitClauseStart() >= 0) {
            int start = lexed.toOriginalOffset(shape.limitClauseStart());
            int end = lexed.toOriginalOffset(shape.limitClauseEnd());
            // each shard must return enough rows for the merged page; grouped results cannot be cut per shard
            edits.replace(start, end, aggregating || limit == null ? "" : "LIMIT " + (limit + off));
        }
        if (!hidden.isEmpty()) {
            edits.insert(lexed.toOriginalOffset(shape.selectListEnd()), ", " + String.join(", ", hidden));
        }
        int visible = star ? 0 : shape.items().size();
        MergeSpec merge = new MergeSpec(visible, sort, off, limit == null ? -1 : limit, groupBy, aggregates,
                shape.distinct(), having);
        return finish(merge);
    }

    private int roundScale(Object v) {
        try {
            int scale = v instanceof Number n ? Math.toIntExact(n.longValue()) : Integer.parseInt(v.toString().trim());
            if (scale >= 0 && scale <= 1000) {
                return scale;
            }
        } catch (RuntimeException e) {
            // not a number: refused below
        }
        throw refuse("round(avg(...), n) across shards needs n between 0 and 1000, got " + v);
    }

    private static boolean isZero(Object v) {
        if (v instanceof Number n) {
            return new java.math.BigDecimal(n.toString()).signum() == 0;
        }
        try {
            return v != null && new java.math.BigDecimal(v.toString().trim()).signum() == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static final java.util.regex.Pattern AGGREGATE_WORD =
            java.util.regex.Pattern.compile("(?i)\\b(count|sum|min|max|avg)\\s*\\(");
    private static final java.util.regex.Pattern AGGREGATE_CALL =
            java.util.regex.Pattern.compile("(?is)\\s*(count|sum|min|max|avg)\\s*\\((.*)\\)\\s*");

    /**
     * ORDER BY an aggregate that is not selected, over groups merged from several shards ({@code GROUP BY name ORDER
     * BY count(*) DESC}): a hidden column recombined like a selected aggregate, so the sort sees the merged value,
     * not one shard's. Anything else over aggregates is refused.
     */
    private int hiddenAggregate(String expression, List<AggregateColumn> aggregates) {
        java.util.regex.Matcher m = AGGREGATE_CALL.matcher(expression);
        String argument = m.matches() ? m.group(2).trim() : null;
        if (argument == null || !balanced(argument) || argument.regionMatches(true, 0, "DISTINCT", 0, 8)) {
            throw refuse("ORDER BY " + expression + " computes on aggregates that are not selected; select it (with "
                    + "an alias) and order by the alias");
        }
        String text = expressionText(expression, "ORDER BY");
        AggregateFunction fn = AggregateFunction.valueOf(m.group(1).toUpperCase(Locale.ROOT));
        if (fn == AggregateFunction.AVG) {
            int sum = addHidden("SUM(" + argument + ")");
            aggregates.add(new AggregateColumn(sum, AggregateFunction.AVG, addHidden("COUNT(" + argument + ")")));
            return sum;
        }
        int column = addHidden(text);
        aggregates.add(new AggregateColumn(column, fn, -1));
        return column;
    }

    /** Whether the parentheses of an aggregate's argument close within it: {@code count(*) + max(x)} is two calls. */
    private static boolean balanced(String argument) {
        int depth = 0;
        for (int i = 0; i < argument.length(); i++) {
            char c = argument.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }

    /** Words that make a SELECT's rows depend on all shards at once: without a parse tree, merging them is unsafe. */
    private static final java.util.regex.Pattern NEEDS_MERGE = java.util.regex.Pattern.compile(
            "\\b(ORDER|LIMIT|OFFSET|FETCH|GROUP|HAVING|DISTINCT|UNION|INTERSECT|EXCEPT|OVER|COUNT|SUM|AVG|MIN|MAX"
                    + "|STRING_AGG|ARRAY_AGG|JSON_AGG|JSONB_AGG|BOOL_AND|BOOL_OR|EVERY|BIT_AND|BIT_OR)\\b",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    /**
     * A SELECT only the token fallback could read has no known shape. Concatenating the shards' rows is right only
     * when nothing in it orders, limits, groups, deduplicates or aggregates; anything else is refused.
     */
    private Rewrite unparsed() {
        java.util.regex.Matcher m = NEEDS_MERGE.matcher(lexed.normalized());
        if (m.find()) {
            throw refuse("the statement could not be parsed (" + info.fallbackReason() + "), so its "
                    + m.group(1).toUpperCase(Locale.ROOT) + " cannot be merged correctly; add a shard-key condition "
                    + "so it runs on one shard, or rewrite it in plainer SQL");
        }
        return new Rewrite(lexed.original(), planner.params(), MergeSpec.concat(0), -1);
    }

    /** Appends a hidden column and returns its index (its position among the hidden ones in a SELECT *). */
    int addHidden(String expression) {
        hidden.add(expression);
        int k = hidden.size() - 1;
        return star ? k : shape.items().size() + k;
    }

    String originalText(int normalizedStart, int normalizedEnd) {
        return lexed.original().substring(lexed.toOriginalOffset(normalizedStart), lexed.toOriginalOffset(normalizedEnd));
    }

    /** Text copied into a hidden column must not hold placeholders: they would shift the parameter list. */
    String valueFree(String text, String clause) {
        if (!DollarParameters.scan(text, planner.router().dialect()).isEmpty()) {
            throw refuse(clause + " argument " + text + " holds a parameter; compute it in the application or "
                    + "query one shard");
        }
        return text;
    }

    private String expressionText(String expression, String clause) {
        if (expression.indexOf('?') >= 0) {
            throw refuse(clause + " expression " + expression + " is not in the select list and holds a value; "
                    + "select it (with an alias) and " + clause.toLowerCase(Locale.ROOT) + " that");
        }
        return expression;
    }

    /**
     * [start, end) of the HAVING clause in the normalised text: from the keyword to the next top-level ORDER BY,
     * LIMIT, OFFSET, FETCH or the end. The normalised text has no string literals and no comments, so a scan that
     * counts parentheses is exact.
     */
    private int[] havingClause() {
        String text = lexed.normalized();
        String upper = text.toUpperCase(Locale.ROOT);
        int start = -1;
        int depth = 0;
        for (int i = 0; i < upper.length(); i++) {
            char c = upper.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (depth == 0 && wordAt(upper, i, "HAVING")) {
                start = i;
                break;
            }
        }
        if (start < 0) {
            throw new IllegalStateException("[BUG] HAVING analysed but not found in " + text);
        }
        depth = 0;
        for (int i = start + 6; i < upper.length(); i++) {
            char c = upper.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (depth == 0 && (wordAt(upper, i, "ORDER") || wordAt(upper, i, "LIMIT")
                    || wordAt(upper, i, "OFFSET") || wordAt(upper, i, "FETCH") || wordAt(upper, i, "WINDOW"))) {
                return new int[]{start, i};
            }
        }
        return new int[]{start, text.length()};
    }

    private static boolean wordAt(String text, int i, String word) {
        return text.startsWith(word, i) && (i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1)))
                && (i + word.length() == text.length() || !Character.isLetterOrDigit(text.charAt(i + word.length())));
    }

    private boolean starBefore(int itemIndex) {
        for (int i = 0; i < itemIndex; i++) {
            if (shape.items().get(i).star()) {
                return true;
            }
        }
        return false;
    }

    private boolean hasAggregates() {
        for (SelectShape.SelectItem item : shape.items()) {
            if (item.aggregate() != SelectShape.Aggregate.NONE) {
                return true;
            }
        }
        return false;
    }

    /** GROUP BY the shard key keeps every group on one shard: the shards' groups are final. */
    private boolean groupsAreShardLocal() {
        for (SelectShape.GroupKey g : shape.groupBy()) {
            ColumnRef column = g.itemIndex() >= 0 ? shape.items().get(g.itemIndex()).column() : null;
            String name = column != null ? column.column() : g.expression().toLowerCase(Locale.ROOT);
            int dot = name.lastIndexOf('.');
            String bare = dot >= 0 ? name.substring(dot + 1) : name;
            for (TableConfig tc : sharded.values()) {
                if (bare.equals(tc.key())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The statement text and parameters after the rewrite: a parameter whose placeholder was cut (LIMIT, OFFSET,
     * HAVING) is dropped from a {@code ?} list, and {@code $n} placeholders are renumbered, because PostgreSQL
     * cannot infer the type of a parameter the text no longer mentions.
     */
    private Rewrite finish(MergeSpec merge) {
        List<Object> params = planner.params();
        List<int[]> occurrences = DollarParameters.scan(lexed.original(), planner.router().dialect());
        boolean dropped = false;
        for (int[] p : occurrences) {
            dropped |= !edits.keeps(p[0]);
        }
        String sql = edits.apply();
        int starHidden = star ? hidden.size() : -1;
        if (!dropped) {
            return new Rewrite(sql, params, merge, starHidden);
        }
        List<Object> kept = new ArrayList<>();
        if (lexed.dollarParameters()) {
            java.util.TreeMap<Integer, Integer> renumber = new java.util.TreeMap<>();
            for (int[] p : occurrences) {
                if (p[2] >= 0 && edits.keeps(p[0])) {
                    renumber.put(p[2], 0);
                }
            }
            int next = 1;
            for (java.util.Map.Entry<Integer, Integer> e : renumber.entrySet()) {
                e.setValue(next++);
                kept.add(params.get(e.getKey()));
            }
            return new Rewrite(DollarParameters.renumber(sql, renumber, planner.router().dialect()), kept, merge,
                    starHidden);
        }
        int index = 0;
        for (int[] p : occurrences) {
            if (edits.keeps(p[0])) {
                kept.add(params.get(index));
            }
            index++;
        }
        return new Rewrite(sql, kept, merge, starHidden);
    }

    RoutingException refuse(String why) {
        return new RoutingException("cannot merge " + String.join(", ", sharded.keySet()) + " across shards: " + why);
    }
}
