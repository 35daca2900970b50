package io.shardgate.analysis;

import io.shardgate.config.Dialect;
import io.shardgate.analysis.Having.HAggregate;
import io.shardgate.analysis.Having.HColumn;
import io.shardgate.analysis.Having.HCompare;
import io.shardgate.analysis.Having.HOperand;
import io.shardgate.analysis.Having.HValue;
import io.shardgate.analysis.SelectShape.Aggregate;
import io.shardgate.analysis.SelectShape.GroupKey;
import io.shardgate.analysis.SelectShape.OrderKey;
import io.shardgate.analysis.SelectShape.SelectItem;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.JoinType;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUpdate;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.SqlWithItem;
import org.apache.calcite.sql.fun.SqlBetweenOperator;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.validate.SqlConformanceEnum;

/**
 * Turns one parsed Calcite tree into a {@link StatementInfo}. The tree lives only for the duration of one
 * analysis; positions are converted to offsets of the normalised text, values to slot indexes.
 */
final class CalciteAnalysis {

    private static final SqlParser.Config PG = base().withQuoting(Quoting.DOUBLE_QUOTE);
    private static final SqlParser.Config MYSQL = base().withQuoting(Quoting.BACK_TICK);

    private static SqlParser.Config base() {
        return SqlParser.config()
                .withConformance(SqlConformanceEnum.BABEL)
                .withUnquotedCasing(Casing.UNCHANGED)
                .withQuotedCasing(Casing.UNCHANGED)
                .withCaseSensitive(false);
    }

    private final LexedStatement lexed;
    private final String sql;
    private final int[] lineStarts;
    private final Set<String> cteNames = new HashSet<>();
    private final LinkedHashSet<TableRef> tables = new LinkedHashSet<>();
    private boolean sawSubquery;

    /** Maps offsets of {@link #sql} to the normalised text when a reserved-word variant was parsed, else null. */
    private final int[] toNormalized;

    private CalciteAnalysis(LexedStatement lexed, String sql, int[] toNormalized) {
        this.lexed = lexed;
        this.sql = sql;
        this.toNormalized = toNormalized;
        int lines = 1;
        for (int i = 0; i < sql.length(); i++) {
            if (sql.charAt(i) == '\n') {
                lines++;
            }
        }
        lineStarts = new int[lines];
        int l = 1;
        for (int i = 0; i < sql.length(); i++) {
            if (sql.charAt(i) == '\n') {
                lineStarts[l++] = i + 1;
            }
        }
    }

    /** Parses and analyses; throws SqlParseException (or a runtime exception) when Calcite cannot. */
    static StatementInfo analyze(LexedStatement lexed) throws SqlParseException {
        return analyze(lexed, lexed.normalized(), null);
    }

    /**
     * Parses {@code sql}, a variant of the normalised text whose offsets map back through {@code toNormalized}
     * (null when {@code sql} is the normalised text itself).
     */
    static StatementInfo analyze(LexedStatement lexed, String sql, int[] toNormalized) throws SqlParseException {
        SqlParser parser = SqlParser.create(sql, lexed.dialect() == Dialect.MYSQL ? MYSQL : PG);
        SqlNode node = parser.parseQuery();
        return new CalciteAnalysis(lexed, sql, toNormalized).run(node);
    }

    private int norm(int offset) {
        return toNormalized == null || offset < 0 ? offset : toNormalized[offset];
    }

    private SelectShape mapped(SelectShape sh) {
        if (toNormalized == null || sh == null) {
            return sh;
        }
        List<SelectItem> items = new ArrayList<>();
        for (SelectItem i : sh.items()) {
            items.add(new SelectItem(i.label(), i.aggregate(), i.distinctAggregate(), i.column(), i.star(),
                    norm(i.start()), norm(i.end()), norm(i.argStart()), norm(i.argEnd()), i.zeroDefault(),
                    i.roundScale()));
        }
        return new SelectShape(items, sh.orderBy(), sh.groupBy(), sh.distinct(), sh.limit(), sh.offset(),
                norm(sh.limitClauseStart()), norm(sh.limitClauseEnd()), sh.having(), sh.hasJoin(), sh.hasSubquery(),
                sh.hasSetOperation(), sh.hasWindowFunction(), norm(sh.selectListEnd()), norm(sh.orderByEnd()),
                sh.unsupportedReason(), sh.perShardSubqueryTables());
    }

    private InsertInfo mapped(InsertInfo ins) {
        if (toNormalized == null || ins == null) {
            return ins;
        }
        List<int[]> spans = new ArrayList<>();
        for (int[] sp : ins.rowSpans()) {
            spans.add(new int[] {norm(sp[0]), norm(sp[1])});
        }
        return new InsertInfo(ins.table(), ins.columns(), ins.rows(), spans, ins.fromSelect(),
                norm(ins.valuesStart()), norm(ins.valuesEnd()));
    }

    private StatementInfo run(SqlNode node) {
        StatementKind kind = lexed.kind();
        Predicate where = Predicate.TRUE;
        InsertInfo insert = null;
        SelectShape shape = null;
        List<String> updated = List.of();
        if (node instanceof SqlInsert ins) {
            kind = StatementKind.INSERT;
            addTarget(ins.getTargetTable(), null);
            collect(ins.getSource());
            insert = insertInfo(ins);
        } else if (node instanceof SqlUpdate up) {
            kind = StatementKind.UPDATE;
            addTarget(up.getTargetTable(), up.getAlias());
            collect(up.getSourceExpressionList());
            collect(up.getCondition());
            where = up.getCondition() == null ? Predicate.TRUE : top(predicate(up.getCondition()));
            List<String> cols = new ArrayList<>();
            for (SqlNode c : up.getTargetColumnList()) {
                cols.add(name((SqlIdentifier) c));
            }
            updated = cols;
        } else if (node instanceof SqlDelete del) {
            kind = StatementKind.DELETE;
            addTarget(del.getTargetTable(), del.getAlias());
            collect(del.getCondition());
            where = del.getCondition() == null ? Predicate.TRUE : top(predicate(del.getCondition()));
        } else {
            collect(node);
            where = queryPredicate(node);
            shape = shape(node);
        }
        return new StatementInfo(kind, new ArrayList<>(tables), where, mapped(insert), mapped(shape), updated, true,
                null, shape == null ? List.of() : joinedTables(node));
    }

    /** The base tables of the outer SELECT's FROM clause and its joins, each occurrence with its alias. */
    private List<TableRef> joinedTables(SqlNode query) {
        SqlNode node = query;
        while (node instanceof SqlWith || node instanceof SqlOrderBy) {
            node = node instanceof SqlWith with ? with.body : ((SqlOrderBy) node).query;
        }
        List<TableRef> out = new ArrayList<>();
        if (node instanceof SqlSelect sel) {
            joinedSources(sel.getFrom(), out);
        }
        return out;
    }

    private void joinedSources(SqlNode source, List<TableRef> out) {
        if (source instanceof SqlIdentifier id) {
            String n = name(id);
            if (!cteNames.contains(n)) {
                out.add(new TableRef(n, null));
            }
        } else if (source instanceof SqlJoin join) {
            joinedSources(join.getLeft(), out);
            joinedSources(join.getRight(), out);
        } else if (source != null && source.getKind() == SqlKind.AS
                && ((SqlCall) source).operand(0) instanceof SqlIdentifier id) {
            String n = name(id);
            if (!cteNames.contains(n)) {
                out.add(new TableRef(n, alias(((SqlCall) source).operand(1))));
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // positions

    private int offset(SqlParserPos pos) {
        int line = pos.getLineNum();
        if (line <= 0) {
            return -1;
        }
        return lineStarts[Math.min(line, lineStarts.length) - 1] + pos.getColumnNum() - 1;
    }

    private int endOffset(SqlParserPos pos) {
        int line = pos.getEndLineNum();
        if (line <= 0) {
            return -1;
        }
        return lineStarts[Math.min(line, lineStarts.length) - 1] + pos.getEndColumnNum();
    }

    /** [start, end) of a node in the normalised text: union of its own and its operands' positions. */
    private int[] span(SqlNode node) {
        int[] r = {Integer.MAX_VALUE, -1};
        spanInto(node, r);
        if (r[1] < 0) {
            return new int[] {-1, -1};
        }
        // parentheses around an operand belong to no node: widen until balanced
        int open = 0;
        for (int i = r[0]; i < r[1]; i++) {
            char c = sql.charAt(i);
            if (c == '(') {
                open++;
            } else if (c == ')') {
                open--;
            }
        }
        int end = r[1];
        while (open > 0 && end < sql.length()) {
            char c = sql.charAt(end++);
            if (c == '(') {
                open++;
            } else if (c == ')') {
                open--;
            }
        }
        int start = r[0];
        while (open < 0 && start > 0) {
            char c = sql.charAt(--start);
            if (c == ')') {
                open--;
            } else if (c == '(') {
                open++;
            }
        }
        return new int[] {start, end};
    }

    private void spanInto(SqlNode node, int[] r) {
        if (node == null) {
            return;
        }
        int s = offset(node.getParserPosition());
        int e = endOffset(node.getParserPosition());
        if (s >= 0 && e > s) {
            r[0] = Math.min(r[0], s);
            r[1] = Math.max(r[1], e);
        }
        if (node instanceof SqlCall call) {
            for (SqlNode op : call.getOperandList()) {
                spanInto(op, r);
            }
        } else if (node instanceof SqlNodeList list) {
            for (SqlNode op : list) {
                spanInto(op, r);
            }
        }
    }

    /** The node's text as it stands in the normalised text. */
    private String text(SqlNode node) {
        return textOf(span(node), node);
    }

    private String textOf(int[] sp, SqlNode node) {
        if (sp[0] < 0) {
            return node.toString();
        }
        return toNormalized == null ? sql.substring(sp[0], sp[1])
                : lexed.normalized().substring(norm(sp[0]), norm(sp[1]));
    }

    // ------------------------------------------------------------------------------------------------------
    // tables

    private static String name(SqlIdentifier id) {
        int last = id.names.size() - 1;
        String n = id.names.get(last);
        return id.isComponentQuoted(last) ? n : n.toLowerCase(Locale.ROOT);
    }

    private static String alias(SqlNode node) {
        if (node instanceof SqlIdentifier id) {
            return name(id);
        }
        return null;
    }

    private void addTarget(SqlNode target, SqlIdentifier alias) {
        if (target instanceof SqlIdentifier id) {
            tables.add(new TableRef(name(id), alias == null ? null : name(alias)));
        } else {
            fromItem(target);
        }
    }

    /** Walks any node for FROM clauses, CTEs and subqueries. */
    private void collect(SqlNode node) {
        if (node == null) {
            return;
        }
        if (node instanceof SqlSelect sel) {
            fromItem(sel.getFrom());
            for (SqlNode op : sel.getOperandList()) {
                if (op != sel.getFrom()) {
                    collectExpression(op, sel);
                }
            }
        } else if (node instanceof SqlWith with) {
            for (SqlNode item : with.withList) {
                cteNames.add(name(((SqlWithItem) item).name));
            }
            for (SqlNode item : with.withList) {
                noteDerived(((SqlWithItem) item).query);
                collect(((SqlWithItem) item).query);
            }
            collect(with.body);
        } else if (node.getKind() == SqlKind.EXPLICIT_TABLE) {
            // TABLE name (INSERT INTO a TABLE b, ... UNION TABLE b, IN (TABLE b)) reads the table like FROM name
            fromItem(((SqlCall) node).operand(0));
        } else if (node instanceof SqlCall call) {
            for (SqlNode op : call.getOperandList()) {
                collect(op);
            }
        } else if (node instanceof SqlNodeList list) {
            for (SqlNode op : list) {
                collect(op);
            }
        }
    }

    /**
     * Walks an expression of {@code outer} (select list, WHERE, HAVING, ...) for the tables its subqueries read. A
     * subquery evaluated on each shard's rows alone gives each shard a different answer when it is not tied to the
     * outer row (uncorrelated) and aggregates, limits or deduplicates ({@code amount > (SELECT avg(amount) FROM t)}),
     * and always when the outer SELECT has no FROM (one row per shard): its tables are remembered, so that a
     * cross-shard plan over them is refused.
     */
    private void collectExpression(SqlNode node, SqlSelect outer) {
        if (node == null) {
            return;
        }
        if (node instanceof SqlSelect || node instanceof SqlOrderBy || node instanceof SqlWith) {
            collect(node);
            if (outer.getFrom() == null || computesPerShard(node) && !correlated(node)) {
                readTables(node, perShardSubqueryTables);
            }
        } else if (node.getKind() == SqlKind.EXPLICIT_TABLE) {
            collect(node);
        } else if (node instanceof SqlCall call) {
            for (SqlNode op : call.getOperandList()) {
                collectExpression(op, outer);
            }
        } else if (node instanceof SqlNodeList list) {
            for (SqlNode op : list) {
                collectExpression(op, outer);
            }
        }
    }

    private final Set<String> perShardSubqueryTables = new LinkedHashSet<>();

    /** Whether a subquery refers to a table or alias it does not itself read: a column of the outer query. */
    private static boolean correlated(SqlNode subquery) {
        Set<String> own = new HashSet<>();
        Set<String> used = new HashSet<>();
        qualifiers(subquery, own, used);
        used.removeAll(own);
        return !used.isEmpty();
    }

    private static void qualifiers(SqlNode node, Set<String> own, Set<String> used) {
        if (node == null) {
            return;
        }
        if (node instanceof SqlIdentifier id) {
            if (id.names.size() >= 2) {
                used.add(id.names.get(0).toLowerCase(Locale.ROOT));
            }
            return;
        }
        if (node instanceof SqlSelect sel) {
            ownSource(sel.getFrom(), own);
        } else if (node instanceof SqlJoin join) {
            ownSource(join.getLeft(), own);
            ownSource(join.getRight(), own);
        }
        if (node instanceof SqlCall call) {
            for (SqlNode op : call.getOperandList()) {
                qualifiers(op, own, used);
            }
        } else if (node instanceof SqlNodeList list) {
            for (SqlNode op : list) {
                qualifiers(op, own, used);
            }
        }
    }

    /** The tables named in the FROM clauses of a query and of the queries inside it. */
    private static void readTables(SqlNode node, Set<String> out) {
        if (node instanceof SqlSelect sel) {
            fromTables(sel.getFrom(), out);
        }
        if (node instanceof SqlCall call) {
            for (SqlNode op : call.getOperandList()) {
                if (op != null && !(op instanceof SqlIdentifier)) {
                    readTables(op, out);
                }
            }
        } else if (node instanceof SqlNodeList list) {
            for (SqlNode op : list) {
                readTables(op, out);
            }
        }
    }

    private static void fromTables(SqlNode source, Set<String> out) {
        if (source instanceof SqlIdentifier id) {
            out.add(name(id));
        } else if (source instanceof SqlJoin join) {
            fromTables(join.getLeft(), out);
            fromTables(join.getRight(), out);
        } else if (source != null && source.getKind() == SqlKind.AS) {
            fromTables(((SqlCall) source).operand(0), out);
        }
    }

    /** The names a FROM source may be referred to by: its alias, its table name and schema. */
    private static void ownSource(SqlNode source, Set<String> own) {
        if (source instanceof SqlIdentifier id) {
            for (String n : id.names) {
                own.add(n.toLowerCase(Locale.ROOT));
            }
        } else if (source != null && source.getKind() == SqlKind.AS) {
            SqlCall as = (SqlCall) source;
            if (as.operand(1) instanceof SqlIdentifier alias) {
                own.add(name(alias).toLowerCase(Locale.ROOT));
            }
            ownSource(as.operand(0), own);
        }
    }

    private void fromItem(SqlNode node) {
        if (node == null) {
            return;
        }
        if (node instanceof SqlIdentifier id) {
            String n = name(id);
            if (!cteNames.contains(n)) {
                tables.add(new TableRef(n, null));
            }
        } else if (node instanceof SqlJoin join) {
            fromItem(join.getLeft());
            fromItem(join.getRight());
            collect(join.getCondition());
        } else if (node.getKind() == SqlKind.AS) {
            SqlCall as = (SqlCall) node;
            SqlNode inner = as.operand(0);
            if (inner instanceof SqlIdentifier id) {
                String n = name(id);
                if (!cteNames.contains(n)) {
                    tables.add(new TableRef(n, alias(as.operand(1))));
                }
            } else {
                sawSubquery = true;
                noteDerived(inner);
                fromItem(inner);
            }
        } else if (node instanceof SqlSelect || node instanceof SqlOrderBy || node instanceof SqlWith) {
            sawSubquery = true;
            noteDerived(node);
            collect(node);
        } else {
            collect(node);
        }
    }

    /**
     * A derived table (or CTE) that limits, deduplicates or aggregates gives a different answer per shard than
     * over all rows: remember it so the shape can say a cross-shard merge would be wrong.
     */
    private void noteDerived(SqlNode query) {
        if (derivedReason == null && computesPerShard(query)) {
            derivedReason = "derived table or CTE with LIMIT, DISTINCT, GROUP BY, aggregates or a set operation";
        }
    }

    private String derivedReason;

    private static boolean computesPerShard(SqlNode q) {
        if (q == null) {
            return false;
        }
        if (q instanceof SqlOrderBy ob) {
            return ob.fetch != null || ob.offset != null || computesPerShard(ob.query);
        }
        if (q instanceof SqlWith with) {
            return computesPerShard(with.body);
        }
        if (q instanceof SqlSelect sel) {
            if (sel.isDistinct() || sel.getGroup() != null || sel.getFetch() != null || sel.getOffset() != null
                    || sel.getHaving() != null) {
                return true;
            }
            for (SqlNode item : sel.getSelectList()) {
                if (containsAggregate(item) || contains(item, SqlKind.OVER)) {
                    return true;
                }
            }
            return false;
        }
        SqlKind k = q.getKind();
        return k == SqlKind.UNION || k == SqlKind.INTERSECT || k == SqlKind.EXCEPT;
    }

    // ------------------------------------------------------------------------------------------------------
    // predicates

    private Predicate queryPredicate(SqlNode node) {
        if (node instanceof SqlWith with) {
            return queryPredicate(with.body);
        }
        if (node instanceof SqlOrderBy ob) {
            return queryPredicate(ob.query);
        }
        if (node instanceof SqlSelect sel) {
            if (sel.getFrom() == null) {
                // SELECT EXISTS (SELECT 1 FROM t WHERE key = 42): the subqueries decide where it can run, every
                // shard any of them needs (one row per shard when that is several: refused by the merge planner)
                List<SqlNode> subqueries = new ArrayList<>();
                expressionSubqueries(sel.getSelectList(), subqueries);
                expressionSubqueries(sel.getWhere(), subqueries);
                if (!subqueries.isEmpty()) {
                    List<Predicate> each = new ArrayList<>();
                    for (SqlNode q : subqueries) {
                        each.add(queryPredicate(q));
                    }
                    return each.size() == 1 ? each.get(0) : new Predicate.Or(each);
                }
            }
            List<Predicate> parts = new ArrayList<>();
            if (sel.getWhere() != null) {
                addConjuncts(parts, predicate(sel.getWhere()));
            }
            joinConditions(sel.getFrom(), parts);
            Set<String> tableQualifiers = new HashSet<>();
            if (!directSources(sel.getFrom(), tableQualifiers)) {
                // a CTE or derived table is among the sources: a column that is unqualified or qualified by that
                // source may not be the base table's column of the same name (it may be renamed), so it says
                // nothing about any table
                List<Predicate> safe = new ArrayList<>();
                for (Predicate p : parts) {
                    safe.add(onlyTableColumns(p, tableQualifiers));
                }
                parts = safe;
            }
            return parts.size() == 1 ? top(parts.get(0)) : new Predicate.And(parts);
        }
        SqlKind k = node.getKind();
        if (k == SqlKind.UNION || k == SqlKind.INTERSECT || k == SqlKind.EXCEPT) {
            List<Predicate> parts = new ArrayList<>();
            for (SqlNode op : ((SqlCall) node).getOperandList()) {
                parts.add(queryPredicate(op));
            }
            return new Predicate.Or(parts);
        }
        if (k == SqlKind.VALUES) {
            return Predicate.TRUE;
        }
        return Predicate.Unknown.INSTANCE;
    }

    private static void expressionSubqueries(SqlNode node, List<SqlNode> out) {
        if (node instanceof SqlSelect || node instanceof SqlOrderBy || node instanceof SqlWith) {
            out.add(node);
        } else if (node instanceof SqlCall call) {
            for (SqlNode op : call.getOperandList()) {
                expressionSubqueries(op, out);
            }
        } else if (node instanceof SqlNodeList list) {
            for (SqlNode op : list) {
                expressionSubqueries(op, out);
            }
        }
    }

    /**
     * Adds the qualifiers (alias, else name) of the base tables directly in a FROM clause; returns false when some
     * source is not a base table (a CTE reference, a derived table, a function).
     */
    private boolean directSources(SqlNode from, Set<String> qualifiers) {
        if (from == null) {
            return true;
        }
        if (from instanceof SqlJoin join) {
            boolean l = directSources(join.getLeft(), qualifiers);
            boolean r = directSources(join.getRight(), qualifiers);
            return l && r;
        }
        if (from instanceof SqlIdentifier id) {
            String n = name(id);
            if (cteNames.contains(n)) {
                return false;
            }
            qualifiers.add(n);
            return true;
        }
        if (from.getKind() == SqlKind.AS && ((SqlCall) from).operand(0) instanceof SqlIdentifier id) {
            String n = name(id);
            if (cteNames.contains(n)) {
                return false;
            }
            String a = alias(((SqlCall) from).operand(1));
            qualifiers.add(a != null ? a : n);
            return true;
        }
        return false;
    }

    private static Predicate onlyTableColumns(Predicate p, Set<String> qualifiers) {
        if (p instanceof Predicate.And and) {
            return new Predicate.And(and.parts().stream().map(x -> onlyTableColumns(x, qualifiers)).toList());
        }
        if (p instanceof Predicate.Or or) {
            return new Predicate.Or(or.parts().stream().map(x -> onlyTableColumns(x, qualifiers)).toList());
        }
        if (p instanceof Predicate.Comparison c) {
            return qualifiers.contains(c.column().qualifier()) ? p : Predicate.Unknown.INSTANCE;
        }
        if (p instanceof Predicate.RowIn r) {
            for (ColumnRef c : r.columns()) {
                if (!qualifiers.contains(c.qualifier())) {
                    return Predicate.Unknown.INSTANCE;
                }
            }
        }
        return p;
    }

    /** Atomic conditions are wrapped in an And so that a WHERE is always an And, an Or or Unknown. */
    static Predicate top(Predicate p) {
        if (p instanceof Predicate.And || p instanceof Predicate.Or || p instanceof Predicate.Unknown) {
            return p;
        }
        return new Predicate.And(List.of(p));
    }

    private static void addConjuncts(List<Predicate> parts, Predicate p) {
        if (p instanceof Predicate.And and) {
            parts.addAll(and.parts());
        } else {
            parts.add(p);
        }
    }

    private void joinConditions(SqlNode from, List<Predicate> parts) {
        if (from instanceof SqlJoin join) {
            joinConditions(join.getLeft(), parts);
            joinConditions(join.getRight(), parts);
            SqlNode cond = join.getCondition();
            if (cond == null || cond instanceof SqlNodeList) {
                return; // NATURAL / USING: nothing usable
            }
            JoinType jt = join.getJoinType();
            List<Predicate> on = new ArrayList<>();
            addConjuncts(on, predicate(cond));
            if (jt == JoinType.INNER || jt == JoinType.COMMA || jt == JoinType.CROSS) {
                parts.addAll(on);
            } else {
                // an outer join's ON condition does not restrict the preserved side: keep only column equalities
                for (Predicate p : on) {
                    if (p instanceof Predicate.ColumnEquality) {
                        parts.add(p);
                    }
                }
            }
        }
    }

    Predicate predicate(SqlNode node) {
        if (!(node instanceof SqlCall call)) {
            return Predicate.Unknown.INSTANCE;
        }
        SqlKind k = node.getKind();
        switch (k) {
            case AND -> {
                List<Predicate> parts = new ArrayList<>();
                for (SqlNode op : call.getOperandList()) {
                    addConjuncts(parts, predicate(op));
                }
                return new Predicate.And(parts);
            }
            case OR -> {
                List<Predicate> parts = new ArrayList<>();
                for (SqlNode op : call.getOperandList()) {
                    Predicate p = predicate(op);
                    if (p instanceof Predicate.Or or) {
                        parts.addAll(or.parts());
                    } else {
                        parts.add(p);
                    }
                }
                return new Predicate.Or(parts);
            }
            case EQUALS, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL -> {
                Op op = switch (k) {
                    case EQUALS -> Op.EQ;
                    case LESS_THAN -> Op.LT;
                    case LESS_THAN_OR_EQUAL -> Op.LE;
                    case GREATER_THAN -> Op.GT;
                    default -> Op.GE;
                };
                SqlNode l = call.operand(0);
                SqlNode r = call.operand(1);
                if (op == Op.EQ && l.getKind() == SqlKind.ROW && r.getKind() == SqlKind.ROW) {
                    return rowIn(l, List.of(r));
                }
                ColumnRef lc = column(l);
                ColumnRef rc = column(r);
                if (lc != null && rc != null) {
                    return op == Op.EQ ? new Predicate.ColumnEquality(lc, rc) : Predicate.Unknown.INSTANCE;
                }
                if (lc != null) {
                    ValueRef v = value(r);
                    return v == null ? Predicate.Unknown.INSTANCE : new Predicate.Comparison(lc, op, List.of(v));
                }
                if (rc != null) {
                    ValueRef v = value(l);
                    return v == null ? Predicate.Unknown.INSTANCE
                            : new Predicate.Comparison(rc, op.flip(), List.of(v));
                }
                return Predicate.Unknown.INSTANCE;
            }
            case IN -> {
                SqlNode l = call.operand(0);
                SqlNode r = call.operand(1);
                if (!(r instanceof SqlNodeList list)) {
                    return Predicate.Unknown.INSTANCE;
                }
                if (l.getKind() == SqlKind.ROW) {
                    List<SqlNode> rows = new ArrayList<>();
                    for (SqlNode row : list) {
                        rows.add(row);
                    }
                    return rowIn(l, rows);
                }
                ColumnRef c = column(l);
                if (c == null) {
                    return Predicate.Unknown.INSTANCE;
                }
                List<ValueRef> values = new ArrayList<>();
                for (SqlNode v : list) {
                    ValueRef ref = value(v);
                    if (ref == null) {
                        return Predicate.Unknown.INSTANCE;
                    }
                    values.add(ref);
                }
                return new Predicate.Comparison(c, Op.IN, values);
            }
            case SOME -> {
                // key = ANY(ARRAY[1, 2]) is an IN list; key = ANY($1) takes its values from an array parameter
                if (!(call.getOperator() instanceof org.apache.calcite.sql.fun.SqlQuantifyOperator q)
                        || q.comparisonKind != SqlKind.EQUALS) {
                    return Predicate.Unknown.INSTANCE;
                }
                ColumnRef c = column(call.operand(0));
                SqlNode r = call.operand(1);
                if (r instanceof SqlNodeList list && list.size() == 1) { // the parser keeps ANY's operand in a list
                    r = list.get(0);
                }
                if (c == null || r == null) {
                    return Predicate.Unknown.INSTANCE;
                }
                if (r.getKind() == SqlKind.ARRAY_VALUE_CONSTRUCTOR) {
                    List<ValueRef> values = new ArrayList<>();
                    for (SqlNode v : ((SqlCall) r).getOperandList()) {
                        ValueRef ref = value(v);
                        if (ref == null || ref instanceof ValueRef.Expr) {
                            return Predicate.Unknown.INSTANCE;
                        }
                        values.add(ref);
                    }
                    return new Predicate.Comparison(c, Op.IN, values);
                }
                ValueRef array = r instanceof SqlDynamicParam || r instanceof SqlLiteral ? value(r) : null;
                return array == null ? Predicate.Unknown.INSTANCE : new Predicate.Comparison(c, Op.ANY, List.of(array));
            }
            case BETWEEN -> {
                SqlBetweenOperator bop = (SqlBetweenOperator) call.getOperator();
                if (bop.isNegated() || bop.flag == SqlBetweenOperator.Flag.SYMMETRIC) {
                    return Predicate.Unknown.INSTANCE;
                }
                ColumnRef c = column(call.operand(0));
                ValueRef lo = value(call.operand(1));
                ValueRef hi = value(call.operand(2));
                if (c == null || lo == null || hi == null) {
                    return Predicate.Unknown.INSTANCE;
                }
                return new Predicate.Comparison(c, Op.BETWEEN, List.of(lo, hi));
            }
            default -> {
                return Predicate.Unknown.INSTANCE;
            }
        }
    }

    private Predicate rowIn(SqlNode colsRow, List<SqlNode> rows) {
        List<ColumnRef> cols = new ArrayList<>();
        for (SqlNode c : ((SqlCall) colsRow).getOperandList()) {
            ColumnRef ref = column(c);
            if (ref == null) {
                return Predicate.Unknown.INSTANCE;
            }
            cols.add(ref);
        }
        List<List<ValueRef>> out = new ArrayList<>();
        for (SqlNode row : rows) {
            if (row.getKind() != SqlKind.ROW || ((SqlCall) row).operandCount() != cols.size()) {
                return Predicate.Unknown.INSTANCE;
            }
            List<ValueRef> vals = new ArrayList<>();
            for (SqlNode v : ((SqlCall) row).getOperandList()) {
                ValueRef ref = value(v);
                if (ref == null) {
                    return Predicate.Unknown.INSTANCE;
                }
                vals.add(ref);
            }
            out.add(vals);
        }
        return new Predicate.RowIn(cols, out);
    }

    private static ColumnRef column(SqlNode node) {
        if (node instanceof SqlIdentifier id && !id.isStar()) {
            int n = id.names.size();
            String col = name(id);
            String q = null;
            if (n >= 2) {
                String qq = id.names.get(n - 2);
                q = id.isComponentQuoted(n - 2) ? qq : qq.toLowerCase(Locale.ROOT);
            }
            return new ColumnRef(q, col);
        }
        return null;
    }

    /** A value that does not depend on any row, or null when it does (or reads a subquery). */
    ValueRef value(SqlNode node) {
        if (node instanceof SqlDynamicParam p) {
            return new ValueRef.Slot(slotIndex(p));
        }
        if (node instanceof SqlLiteral lit) {
            return new ValueRef.Const(literalValue(lit));
        }
        if (node.getKind() == SqlKind.CAST) {
            SqlNode inner = ((SqlCall) node).operand(0);
            if (inner instanceof SqlDynamicParam || inner instanceof SqlLiteral) {
                return value(inner);
            }
        }
        if (readsRows(node)) {
            return null;
        }
        return new ValueRef.Expr(text(node));
    }

    private static boolean readsRows(SqlNode node) {
        if (node == null) {
            return false;
        }
        if (node instanceof SqlIdentifier || node instanceof SqlSelect || node instanceof SqlOrderBy
                || node instanceof SqlWith) {
            return true;
        }
        if (node instanceof SqlCall call) {
            for (SqlNode op : call.getOperandList()) {
                if (readsRows(op)) {
                    return true;
                }
            }
        } else if (node instanceof SqlNodeList list) {
            for (SqlNode op : list) {
                if (readsRows(op)) {
                    return true;
                }
            }
        }
        return false;
    }

    private int slotIndex(SqlDynamicParam p) {
        int off = norm(offset(p.getParserPosition()));
        int idx = off < 0 ? -1 : Arrays.binarySearch(lexed.slotOffsets, off);
        return idx >= 0 ? idx : p.getIndex();
    }

    private static Object literalValue(SqlLiteral lit) {
        if (lit instanceof SqlNumericLiteral num) {
            BigDecimal b = num.bigDecimalValue();
            if (b == null) {
                return null;
            }
            if (num.isExact() && b.scale() <= 0) {
                try {
                    return b.longValueExact();
                } catch (ArithmeticException e) {
                    return b.toBigInteger();
                }
            }
            return b;
        }
        if (lit.getTypeName().getName().equals("NULL")) {
            return null;
        }
        if (lit.getTypeName().getName().equals("BOOLEAN")) {
            return lit.booleanValue();
        }
        if (lit.getTypeName().getName().equals("CHAR")) {
            return lit.getValueAs(String.class);
        }
        return lit.toString();
    }

    // ------------------------------------------------------------------------------------------------------
    // INSERT

    private InsertInfo insertInfo(SqlInsert ins) {
        String table = ins.getTargetTable() instanceof SqlIdentifier id ? name(id) : null;
        List<String> cols = new ArrayList<>();
        if (ins.getTargetColumnList() != null) {
            for (SqlNode c : ins.getTargetColumnList()) {
                cols.add(name((SqlIdentifier) c));
            }
        }
        SqlNode src = ins.getSource();
        if (src.getKind() != SqlKind.VALUES) {
            return new InsertInfo(table, cols, List.of(), List.of(), true, -1, -1);
        }
        List<List<ValueRef>> rows = new ArrayList<>();
        List<int[]> spans = new ArrayList<>();
        for (SqlNode row : ((SqlCall) src).getOperandList()) {
            List<ValueRef> vals = new ArrayList<>();
            List<SqlNode> ops = row.getKind() == SqlKind.ROW ? ((SqlCall) row).getOperandList() : List.of(row);
            for (SqlNode v : ops) {
                if (v.getKind() == SqlKind.DEFAULT) {
                    vals.add(new ValueRef.Expr("DEFAULT"));
                } else {
                    ValueRef ref = value(v);
                    vals.add(ref == null ? new ValueRef.Expr(text(v)) : ref);
                }
            }
            rows.add(vals);
            spans.add(rowSpan(row));
        }
        int valuesStart = -1;
        int valuesEnd = -1;
        if (!spans.isEmpty() && spans.get(0)[0] >= 0) {
            valuesStart = lastIndexOfWord(sql, "VALUES", spans.get(0)[0]);
            valuesEnd = spans.get(spans.size() - 1)[1];
        }
        return new InsertInfo(table, cols, rows, spans, false, valuesStart, valuesEnd);
    }

    private int[] rowSpan(SqlNode row) {
        int[] sp = span(row);
        if (sp[0] < 0) {
            return sp;
        }
        int start = sp[0];
        if (sql.charAt(start) != '(') {
            int i = start - 1;
            while (i >= 0 && sql.charAt(i) == ' ') {
                i--;
            }
            if (i < 0 || sql.charAt(i) != '(') {
                return sp;
            }
            start = i;
        }
        int depth = 0;
        for (int i = start; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int j = sql.indexOf(c, i + 1);
                i = j < 0 ? sql.length() : j;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return new int[] {start, i + 1};
            }
        }
        return sp;
    }

    static int lastIndexOfWord(String s, String word, int before) {
        for (int i = before - word.length(); i >= 0; i--) {
            if (s.regionMatches(true, i, word, 0, word.length())
                    && (i == 0 || !Character.isLetterOrDigit(s.charAt(i - 1)))
                    && (i + word.length() >= s.length() || !Character.isLetterOrDigit(s.charAt(i + word.length())))) {
                return i;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------------------------------------------
    // SELECT shape

    private SelectShape shape(SqlNode node) {
        boolean subquery = false;
        SqlNodeList orderList = null;
        SqlNode offset = null;
        SqlNode fetch = null;
        // the parser puts a WITH query's ORDER BY / LIMIT outside the WITH: SqlOrderBy(SqlWith(body)); the outermost
        // ORDER BY and LIMIT are the ones the merge must apply
        while (node instanceof SqlWith || node instanceof SqlOrderBy) {
            if (node instanceof SqlWith with) {
                subquery = true;
                node = with.body;
            } else {
                SqlOrderBy ob = (SqlOrderBy) node;
                if (orderList == null && offset == null && fetch == null) {
                    orderList = ob.orderList;
                    offset = ob.offset;
                    fetch = ob.fetch;
                }
                node = ob.query;
            }
        }
        boolean setOp = false;
        SqlNode first = node;
        while (first.getKind() == SqlKind.UNION || first.getKind() == SqlKind.INTERSECT
                || first.getKind() == SqlKind.EXCEPT) {
            setOp = true;
            first = ((SqlCall) first).operand(0);
        }
        if (!(first instanceof SqlSelect sel)) {
            return new SelectShape(List.of(), List.of(), List.of(), false, null, null, -1, -1, null, false,
                    subquery || sawSubquery, setOp, false, -1, -1, setOp ? "set operation over VALUES" : null,
                    List.copyOf(perShardSubqueryTables));
        }
        if (!setOp) {
            if (orderList == null && sel.getOrderList() != null && !sel.getOrderList().isEmpty()) {
                orderList = sel.getOrderList();
            }
            if (offset == null) {
                offset = sel.getOffset();
            }
            if (fetch == null) {
                fetch = sel.getFetch();
            }
        }
        List<String> reasons = new ArrayList<>();
        List<SelectItem> items = new ArrayList<>();
        List<String> itemTexts = new ArrayList<>();
        boolean window = false;
        int selectListEnd = -1;
        for (SqlNode raw : sel.getSelectList()) {
            SqlNode expr = raw;
            String alias = null;
            if (raw.getKind() == SqlKind.AS) {
                expr = ((SqlCall) raw).operand(0);
                alias = alias(((SqlCall) raw).operand(1));
            }
            int[] sp = span(expr);
            int[] full = span(raw);
            selectListEnd = Math.max(selectListEnd, full[1]);
            ColumnRef col = column(expr);
            boolean star = expr instanceof SqlIdentifier id && id.isStar();
            Aggregate agg = aggregate(expr);
            Wrapped wrapped = agg == Aggregate.NONE ? wrappedAggregate(expr) : null;
            if (wrapped != null) {
                agg = aggregate(wrapped.call());
            }
            boolean distinctAgg = false;
            int argStart = -1;
            int argEnd = -1;
            if (agg != Aggregate.NONE) {
                SqlBasicCall call = wrapped != null ? wrapped.call() : (SqlBasicCall) expr;
                distinctAgg = call.getFunctionQuantifier() != null
                        && "DISTINCT".equalsIgnoreCase(call.getFunctionQuantifier().toValue());
                if (distinctAgg) {
                    reasons.add(agg + "(DISTINCT ...)");
                }
                if (call.operandCount() > 0) {
                    int[] a = span(call.operand(0));
                    int[] b = span(call.operand(call.operandCount() - 1));
                    argStart = a[0];
                    argEnd = b[1];
                }
            } else if (containsAggregate(expr)) {
                reasons.add(SelectShape.UNMERGEABLE_AGGREGATE + ": " + text(expr));
            }
            if (contains(expr, SqlKind.OVER)) {
                window = true;
                reasons.add("window function");
            }
            String text = textOf(sp, expr);
            String label = alias != null ? alias : col != null ? col.column() : text;
            items.add(new SelectItem(label, agg, distinctAgg, col, star, sp[0], sp[1], argStart, argEnd,
                    wrapped == null ? null : wrapped.zeroDefault(), wrapped == null ? null : wrapped.roundScale()));
            itemTexts.add(squash(text));
        }
        List<OrderKey> order = new ArrayList<>();
        int orderByEnd = -1;
        if (orderList != null) {
            for (SqlNode o : orderList) {
                boolean desc = false;
                Boolean nullsFirst = null;
                int[] whole = span(o);
                orderByEnd = Math.max(orderByEnd, whole[1]);
                SqlNode e = o;
                while (e.getKind() == SqlKind.DESCENDING || e.getKind() == SqlKind.NULLS_FIRST
                        || e.getKind() == SqlKind.NULLS_LAST) {
                    if (e.getKind() == SqlKind.DESCENDING) {
                        desc = true;
                    } else {
                        nullsFirst = e.getKind() == SqlKind.NULLS_FIRST;
                    }
                    e = ((SqlCall) e).operand(0);
                }
                order.add(new OrderKey(match(e, items, itemTexts), text(e), desc, nullsFirst));
            }
            if (orderByEnd >= 0) {
                orderByEnd = skipWords(orderByEnd, Set.of("ASC", "DESC", "NULLS", "FIRST", "LAST"));
            }
        }
        List<GroupKey> group = new ArrayList<>();
        if (sel.getGroup() != null) {
            for (SqlNode g : sel.getGroup()) {
                int idx = match(g, items, itemTexts);
                group.add(new GroupKey(idx, text(g)));
            }
        }
        Having having = null;
        if (sel.getHaving() != null) {
            having = having(sel.getHaving(), items, itemTexts, reasons);
        }
        ValueRef limit = fetch == null ? null : limitValue(fetch);
        ValueRef off = offset == null ? null : limitValue(offset);
        int limitStart = -1;
        int limitEnd = -1;
        if (fetch != null || offset != null) {
            int s = Integer.MAX_VALUE;
            int e = -1;
            for (SqlNode n : new SqlNode[] {fetch, offset}) {
                if (n != null) {
                    int[] sp = span(n);
                    if (sp[0] >= 0) {
                        s = Math.min(s, sp[0]);
                        e = Math.max(e, sp[1]);
                    }
                }
            }
            if (e >= 0) {
                limitStart = skipWordsBack(s, Set.of("LIMIT", "OFFSET", "FETCH", "FIRST", "NEXT"));
                limitEnd = skipWords(e, Set.of("ROWS", "ROW", "ONLY"));
            }
        }
        boolean join = sel.getFrom() instanceof SqlJoin;
        boolean sub = subquery || sawSubquery || hasNestedQuery(sel);
        if (setOp) {
            reasons.add("set operation");
        }
        if (derivedReason != null) {
            reasons.add(derivedReason);
        }
        String reason = reasons.isEmpty() ? null : String.join("; ", reasons);
        return new SelectShape(items, order, group, sel.isDistinct(), limit, off, limitStart, limitEnd, having, join,
                sub, setOp, window, selectListEnd, orderByEnd, reason, List.copyOf(perShardSubqueryTables));
    }

    private ValueRef limitValue(SqlNode n) {
        ValueRef v = value(n);
        return v == null ? new ValueRef.Expr(text(n)) : v;
    }

    private int skipWords(int pos, Set<String> words) {
        int p = pos;
        while (true) {
            int i = p;
            while (i < sql.length() && sql.charAt(i) == ' ') {
                i++;
            }
            int j = i;
            while (j < sql.length() && Character.isLetter(sql.charAt(j))) {
                j++;
            }
            if (j > i && words.contains(sql.substring(i, j).toUpperCase(Locale.ROOT))) {
                p = j;
            } else {
                return p;
            }
        }
    }

    private int skipWordsBack(int pos, Set<String> words) {
        int p = pos;
        while (true) {
            int j = p;
            while (j > 0 && sql.charAt(j - 1) == ' ') {
                j--;
            }
            int i = j;
            while (i > 0 && Character.isLetter(sql.charAt(i - 1))) {
                i--;
            }
            String word = j > i ? sql.substring(i, j).toUpperCase(Locale.ROOT) : "";
            if (!words.contains(word)) {
                return p;
            }
            if ((word.equals("FIRST") || word.equals("NEXT")) && !previousWordIs(i, "FETCH")) {
                return p; // ORDER BY x NULLS FIRST LIMIT 3: FIRST belongs to the ORDER BY, not to FETCH FIRST
            }
            p = i;
        }
    }

    private boolean previousWordIs(int pos, String word) {
        int j = pos;
        while (j > 0 && sql.charAt(j - 1) == ' ') {
            j--;
        }
        int i = j;
        while (i > 0 && Character.isLetter(sql.charAt(i - 1))) {
            i--;
        }
        return sql.substring(i, j).equalsIgnoreCase(word);
    }

    private static String squash(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != ' ') {
                b.append(Character.toLowerCase(c));
            }
        }
        return b.toString();
    }

    /** The select item a key refers to: ordinal, alias, same column, or same expression text; -1 if none. */
    private int match(SqlNode key, List<SelectItem> items, List<String> itemTexts) {
        if (key instanceof SqlNumericLiteral num && num.isExact()) {
            int ord = num.intValue(true);
            return ord >= 1 && ord <= items.size() ? ord - 1 : -1;
        }
        ColumnRef col = column(key);
        if (col != null) {
            if (col.qualifier() == null) {
                for (int i = 0; i < items.size(); i++) {
                    if (col.column().equals(items.get(i).label())) {
                        return i;
                    }
                }
            }
            for (int i = 0; i < items.size(); i++) {
                ColumnRef ic = items.get(i).column();
                if (ic != null && ic.column().equals(col.column())
                        && (col.qualifier() == null || ic.qualifier() == null || ic.qualifier().equals(col.qualifier()))) {
                    return i;
                }
            }
        }
        String t = squash(text(key));
        for (int i = 0; i < itemTexts.size(); i++) {
            if (itemTexts.get(i).equals(t)) {
                return i;
            }
        }
        return -1;
    }

    private static Aggregate aggregate(SqlNode node) {
        if (!(node instanceof SqlBasicCall)) {
            return Aggregate.NONE;
        }
        switch (node.getKind()) {
            case COUNT:
                return Aggregate.COUNT;
            case SUM:
            case SUM0:
                return Aggregate.SUM;
            case MIN:
                return Aggregate.MIN;
            case MAX:
                return Aggregate.MAX;
            case AVG:
                return Aggregate.AVG;
            default:
                break;
        }
        // the parser leaves most functions unresolved: go by name
        SqlCall call = (SqlCall) node;
        if (call.getOperator().getSyntax() != org.apache.calcite.sql.SqlSyntax.FUNCTION
                && call.getOperator().getSyntax() != org.apache.calcite.sql.SqlSyntax.FUNCTION_STAR) {
            return Aggregate.NONE;
        }
        return switch (call.getOperator().getName().toUpperCase(Locale.ROOT)) {
            case "COUNT" -> Aggregate.COUNT;
            case "SUM" -> Aggregate.SUM;
            case "MIN" -> Aggregate.MIN;
            case "MAX" -> Aggregate.MAX;
            case "AVG" -> Aggregate.AVG;
            default -> Aggregate.NONE;
        };
    }

    /** Cast targets under which each shard's aggregate can still be recombined: numbers, and nothing that rounds. */
    private static final Set<String> NUMERIC_CASTS = Set.of("SMALLINT", "INT2", "INTEGER", "INT", "INT4", "BIGINT",
            "INT8", "NUMERIC", "DECIMAL", "REAL", "FLOAT4", "FLOAT", "FLOAT8", "DOUBLE");
    private static final Set<String> EXACT_SUM_CASTS = Set.of("NUMERIC", "DECIMAL", "FLOAT8", "DOUBLE", "FLOAT");

    /** An aggregate call under a mergeable wrapping, and the COALESCE default that must be zero when it runs. */
    private record Wrapped(SqlBasicCall call, ValueRef zeroDefault, ValueRef roundScale) {
    }

    /**
     * The aggregate call under a wrapping that gives the same result whether applied to each shard's aggregate and
     * recombined or to the whole: {@code count(*)::int}, {@code max(x)::numeric}, {@code coalesce(sum(x), 0)},
     * {@code coalesce(count(*), 0)::bigint}, {@code count(*) FILTER (WHERE ...)}, {@code round(avg(x), 2)}. Null for
     * any other wrapping: {@code sum(x)::int} would round each shard's
     * sum before adding them, {@code coalesce(max(x), 0)} would let an empty shard win with 0, {@code avg(x)::int}
     * would round each shard's average (and changes the column's type). The default of a COALESCE is a literal slot in the cached analysis, so its
     * zero is checked per execution ({@link SelectShape.SelectItem#zeroDefault}).
     */
    private Wrapped wrappedAggregate(SqlNode node) {
        if (!(node instanceof SqlBasicCall call)) {
            return null;
        }
        Wrapped roundedAverage = roundedAverage(call);
        if (roundedAverage != null || call.operandCount() != 2) {
            return roundedAverage;
        }
        if (node.getKind() == SqlKind.CAST && call.operand(1) instanceof org.apache.calcite.sql.SqlDataTypeSpec type) {
            Wrapped inner = aggregateOrWrapped(call.operand(0));
            String target = typeName(type);
            if (inner == null || !NUMERIC_CASTS.contains(target)) {
                return null;
            }
            boolean unconstrained = !(type.getTypeNameSpec()
                    instanceof org.apache.calcite.sql.SqlBasicTypeNameSpec basic) || basic.getPrecision() < 0;
            return switch (aggregate(inner.call())) {
                case COUNT, MIN, MAX -> inner;
                case SUM -> EXACT_SUM_CASTS.contains(target) && unconstrained ? inner : null;
                default -> null;
            };
        }
        if (node.getKind() == SqlKind.FILTER) {
            // count(*) FILTER (WHERE ...): each shard filters its own rows, the counts and sums still add up
            Wrapped inner = aggregateOrWrapped(call.operand(0));
            return inner != null && inner.zeroDefault() == null && inner.call() == call.operand(0) ? inner : null;
        }
        if (node.getKind() == SqlKind.COALESCE || "COALESCE".equalsIgnoreCase(call.getOperator().getName())) {
            Wrapped inner = aggregateOrWrapped(call.operand(0));
            ValueRef fallback = value(call.operand(1));
            if (inner == null || inner.zeroDefault() != null
                    || !(fallback instanceof ValueRef.Slot || fallback instanceof ValueRef.Const)) {
                return null;
            }
            Aggregate a = aggregate(inner.call());
            return a == Aggregate.COUNT || a == Aggregate.SUM ? new Wrapped(inner.call(), fallback, null) : null;
        }
        return null;
    }

    /**
     * {@code round(avg(x)[, n])} and {@code avg(x)::numeric(p, s)}: the merger computes the average from the
     * shards' sums and counts, then rounds it as PostgreSQL would (half away from zero).
     */
    private Wrapped roundedAverage(SqlBasicCall call) {
        if (call.operandCount() < 1 || aggregate(call.operand(0)) != Aggregate.AVG) {
            return null;
        }
        SqlBasicCall avg = (SqlBasicCall) call.operand(0);
        if ("ROUND".equalsIgnoreCase(call.getOperator().getName()) && call.operandCount() <= 2) {
            ValueRef scale = call.operandCount() == 1 ? new ValueRef.Const(0L) : value(call.operand(1));
            return scale instanceof ValueRef.Slot || scale instanceof ValueRef.Const
                    ? new Wrapped(avg, null, scale) : null;
        }
        if (call.getKind() == SqlKind.CAST && call.operandCount() == 2
                && call.operand(1) instanceof org.apache.calcite.sql.SqlDataTypeSpec type
                && type.getTypeNameSpec() instanceof org.apache.calcite.sql.SqlBasicTypeNameSpec basic
                && basic.getPrecision() >= 0
                && Set.of("NUMERIC", "DECIMAL").contains(typeName(type))) {
            return new Wrapped(avg, null, new ValueRef.Const((long) Math.max(0, basic.getScale())));
        }
        return null;
    }

    /** A cast's type name without its schema ({@code pg_catalog.int4} is INT4), upper case. */
    private static String typeName(org.apache.calcite.sql.SqlDataTypeSpec type) {
        List<String> names = type.getTypeName().names;
        return names.get(names.size() - 1).toUpperCase(Locale.ROOT);
    }

    private Wrapped aggregateOrWrapped(SqlNode node) {
        Aggregate a = aggregate(node);
        if (a == Aggregate.AVG) {
            return null;
        }
        return a != Aggregate.NONE ? new Wrapped((SqlBasicCall) node, null, null) : wrappedAggregate(node);
    }

    private static boolean containsAggregate(SqlNode node) {
        if (node instanceof SqlSelect) {
            return false;
        }
        if (node instanceof SqlCall call) {
            if (node.getKind() == SqlKind.OVER) {
                return false;
            }
            if (aggregate(node) != Aggregate.NONE || call.getOperator().isAggregator()
                    || isOtherAggregateName(call)) {
                return true;
            }
            for (SqlNode op : call.getOperandList()) {
                if (op != null && containsAggregate(op)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static final Set<String> OTHER_AGGREGATES = Set.of("STRING_AGG", "ARRAY_AGG", "GROUP_CONCAT",
            "BOOL_AND", "BOOL_OR", "EVERY", "STDDEV", "VARIANCE", "JSON_AGG", "JSONB_AGG", "BIT_AND", "BIT_OR");

    private static boolean isOtherAggregateName(SqlCall call) {
        return OTHER_AGGREGATES.contains(call.getOperator().getName().toUpperCase(Locale.ROOT));
    }

    private static boolean contains(SqlNode node, SqlKind kind) {
        if (node == null) {
            return false;
        }
        if (node.getKind() == kind) {
            return true;
        }
        if (node instanceof SqlCall call) {
            for (SqlNode op : call.getOperandList()) {
                if (contains(op, kind)) {
                    return true;
                }
            }
        } else if (node instanceof SqlNodeList list) {
            for (SqlNode op : list) {
                if (contains(op, kind)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasNestedQuery(SqlSelect sel) {
        for (SqlNode op : sel.getOperandList()) {
            if (op != null && op != sel.getFrom() && (contains(op, SqlKind.SELECT) || contains(op, SqlKind.EXISTS))) {
                return true;
            }
        }
        return false;
    }

    private Having having(SqlNode node, List<SelectItem> items, List<String> itemTexts, List<String> reasons) {
        SqlKind k = node.getKind();
        if (k == SqlKind.AND || k == SqlKind.OR) {
            List<Having> parts = new ArrayList<>();
            for (SqlNode op : ((SqlCall) node).getOperandList()) {
                Having h = having(op, items, itemTexts, reasons);
                if (h == null) {
                    return null;
                }
                parts.add(h);
            }
            return k == SqlKind.AND ? new Having.HAnd(parts) : new Having.HOr(parts);
        }
        if (k == SqlKind.NOT) {
            Having h = having(((SqlCall) node).operand(0), items, itemTexts, reasons);
            return h == null ? null : new Having.HNot(h);
        }
        Op op = switch (k) {
            case EQUALS -> Op.EQ;
            case NOT_EQUALS -> Op.NE;
            case LESS_THAN -> Op.LT;
            case LESS_THAN_OR_EQUAL -> Op.LE;
            case GREATER_THAN -> Op.GT;
            case GREATER_THAN_OR_EQUAL -> Op.GE;
            default -> null;
        };
        if (op == null) {
            reasons.add("HAVING form: " + text(node));
            return null;
        }
        HOperand l = hOperand(((SqlCall) node).operand(0), items, itemTexts);
        HOperand r = hOperand(((SqlCall) node).operand(1), items, itemTexts);
        if (l == null || r == null) {
            reasons.add("HAVING operand: " + text(node));
            return null;
        }
        return new HCompare(l, op, r);
    }

    private HOperand hOperand(SqlNode node, List<SelectItem> items, List<String> itemTexts) {
        Aggregate agg = aggregate(node);
        if (agg != Aggregate.NONE) {
            SqlBasicCall call = (SqlBasicCall) node;
            if (call.getFunctionQuantifier() != null) {
                return null;
            }
            String arg = call.operandCount() == 0 ? "" : text(call.operand(0));
            int idx = -1;
            String sq = squash(text(node));
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i).aggregate() == agg && !items.get(i).distinctAggregate() && itemTexts.get(i).equals(sq)) {
                    idx = i;
                    break;
                }
            }
            return new HAggregate(agg, arg, idx);
        }
        if (node instanceof SqlIdentifier) {
            int idx = match(node, items, itemTexts);
            return idx < 0 ? null : new HColumn(idx);
        }
        if (node instanceof SqlDynamicParam || node instanceof SqlLiteral) {
            return new HValue(value(node));
        }
        if (!readsRows(node) && !containsAggregate(node)) {
            return new HValue(new ValueRef.Expr(text(node)));
        }
        return null;
    }
}
