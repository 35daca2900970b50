package io.shardgate.analysis;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads what it safely can from DML that Calcite cannot parse (UPDATE ... FROM, DELETE ... USING, DISTINCT ON,
 * JSON operators, {@code interval '1 day'}, MySQL {@code @@var}, ...): the tables, the top-level WHERE
 * conjuncts of the simplest forms, INSERT rows. It never guesses: whatever it cannot read is
 * {@link Predicate.Unknown}, and a top-level OR makes the whole condition Unknown.
 */
public final class TokenFallbackAnalyzer {

    private static final Set<String> NOT_ALIAS = Set.of("WHERE", "SET", "JOIN", "INNER", "LEFT", "RIGHT", "FULL",
            "CROSS", "NATURAL", "ON", "USING", "GROUP", "ORDER", "LIMIT", "OFFSET", "HAVING", "UNION", "EXCEPT",
            "INTERSECT", "RETURNING", "VALUES", "SELECT", "FOR", "WINDOW", "FETCH", "OUTER", "LATERAL", "DEFAULT",
            "FROM", "STRAIGHT_JOIN", "PARTITION", "TABLESAMPLE", "AND", "OR", "LOCK", "WITH", "FORCE", "IGNORE",
            "USE", "INTO");
    private static final Set<String> WHERE_END = Set.of("GROUP", "ORDER", "LIMIT", "OFFSET", "HAVING", "WINDOW",
            "RETURNING", "FETCH", "FOR", "UNION", "INTERSECT", "EXCEPT");

    private final LexedStatement lexed;
    private final String s;
    private final SqlLexer.Tokens t;
    private final int n;
    private final int[] depth;
    private final boolean[] inQuery;
    private final Set<String> cteNames = new HashSet<>();

    private TokenFallbackAnalyzer(LexedStatement lexed) {
        this.lexed = lexed;
        this.s = lexed.normalized();
        this.t = SqlLexer.tokenize(s, lexed.dialect());
        this.n = t.n;
        this.depth = new int[n];
        this.inQuery = new boolean[n];
        // depth of each token, and whether the innermost parenthesis around it is a query (or the top level)
        boolean[] stack = new boolean[n + 1];
        int d = 0;
        stack[0] = true;
        for (int k = 0; k < n; k++) {
            if (isOp(k, ")") && d > 0) {
                d--;
            }
            depth[k] = d;
            inQuery[k] = stack[d];
            if (isOp(k, "(")) {
                d++;
                stack[d] = is(k + 1, "SELECT") || is(k + 1, "WITH") || is(k + 1, "VALUES") || is(k + 1, "INSERT")
                        || is(k + 1, "UPDATE") || is(k + 1, "DELETE");
            }
        }
    }

    /** Analyses {@code lexed} without Calcite; {@code reason} says why Calcite was not used. */
    public static StatementInfo analyze(LexedStatement lexed, String reason) {
        return new TokenFallbackAnalyzer(lexed).run(reason);
    }

    private StatementInfo run(String reason) {
        StatementKind kind = lexed.kind();
        readCteNames();
        List<TableRef> tables = tables();
        Predicate where = hasSetOperation() ? Predicate.Unknown.INSTANCE : where();
        if (!cteNames.isEmpty() || hasDerivedTable()) {
            where = onlyTableColumns(where, tables);
        }
        InsertInfo insert = kind == StatementKind.INSERT ? insert() : null;
        List<String> updated = kind == StatementKind.UPDATE ? updatedColumns() : List.of();
        SelectShape shape = null;
        if (kind == StatementKind.SELECT) {
            shape = new SelectShape(List.of(), List.of(), List.of(), false, null, null, -1, -1, null, false, false,
                    hasSetOperation(), false, -1, -1, "not parsed by Calcite: " + reason, List.of());
        }
        return new StatementInfo(kind, tables, where, insert, shape, updated, false, reason);
    }

    // ------------------------------------------------------------------------------------------------------
    // token helpers

    private boolean is(int k, String word) {
        if (k < 0 || k >= n || t.type[k] != SqlLexer.WORD) {
            return false;
        }
        int st = t.start[k];
        return t.end[k] - st == word.length() && s.regionMatches(true, st, word, 0, word.length());
    }

    private boolean isOp(int k, String op) {
        return k >= 0 && k < n && t.type[k] == SqlLexer.OP && t.end[k] - t.start[k] == op.length()
                && s.startsWith(op, t.start[k]);
    }

    private boolean isName(int k) {
        return k >= 0 && k < n && (t.type[k] == SqlLexer.WORD || t.type[k] == SqlLexer.QIDENT);
    }

    private String upper(int k) {
        return s.substring(t.start[k], t.end[k]).toUpperCase(Locale.ROOT);
    }

    private String ident(int k) {
        return SqlLexer.identifier(s, t.start[k], t.end[k], t.type[k] == SqlLexer.QIDENT);
    }

    /** Index just after the parenthesis group opening at k. */
    private int skipGroup(int k) {
        int d = 0;
        for (int j = k; j < n; j++) {
            if (isOp(j, "(")) {
                d++;
            } else if (isOp(j, ")") && --d == 0) {
                return j + 1;
            }
        }
        return n;
    }

    private boolean hasDerivedTable() {
        for (int k = 0; k + 1 < n; k++) {
            if (depth[k] == 0 && (is(k, "FROM") || is(k, "JOIN") || is(k, "USING") || isOp(k, ","))
                    && isOp(k + 1, "(")) {
                if (isOp(k, ",") && !is(k + 2, "SELECT")) {
                    continue;
                }
                return true;
            }
        }
        return false;
    }

    /** With CTEs or derived tables around, only columns qualified by a base table say anything about it. */
    private static Predicate onlyTableColumns(Predicate p, List<TableRef> tables) {
        if (p instanceof Predicate.And and) {
            return new Predicate.And(and.parts().stream().map(x -> onlyTableColumns(x, tables)).toList());
        }
        if (p instanceof Predicate.Comparison c) {
            for (TableRef t : tables) {
                String q = t.alias() != null ? t.alias() : t.name();
                if (q.equals(c.column().qualifier())) {
                    return p;
                }
            }
            return Predicate.Unknown.INSTANCE;
        }
        return p;
    }

    private boolean hasSetOperation() {
        for (int k = 0; k < n; k++) {
            if (depth[k] == 0 && (is(k, "UNION") || is(k, "INTERSECT") || is(k, "EXCEPT"))) {
                return true;
            }
        }
        return false;
    }

    private int slotAt(int k) {
        if (t.type[k] != SqlLexer.QPARAM) {
            return -1;
        }
        int idx = Arrays.binarySearch(lexed.slotOffsets, t.start[k]);
        return idx >= 0 ? idx : -1;
    }

    // ------------------------------------------------------------------------------------------------------
    // tables

    private void readCteNames() {
        if (!is(0, "WITH")) {
            return;
        }
        int k = 1;
        if (is(k, "RECURSIVE")) {
            k++;
        }
        while (isName(k)) {
            cteNames.add(ident(k));
            k++;
            if (isOp(k, "(")) {
                k = skipGroup(k);
            }
            if (!is(k, "AS")) {
                return;
            }
            k++;
            if (is(k, "NOT")) {
                k++;
            }
            if (is(k, "MATERIALIZED")) {
                k++;
            }
            if (!isOp(k, "(")) {
                return;
            }
            k = skipGroup(k);
            if (!isOp(k, ",")) {
                return;
            }
            k++;
        }
    }

    private List<TableRef> tables() {
        LinkedHashSet<TableRef> out = new LinkedHashSet<>();
        for (int k = 0; k < n; k++) {
            if (!inQuery[k] || t.type[k] != SqlLexer.WORD) {
                continue;
            }
            boolean list;
            if (is(k, "FROM") || (is(k, "USING") && !isOp(k + 1, "("))) {
                list = true;
            } else if (is(k, "UPDATE") && (k == 0 || isOp(k - 1, "(") || !is(k - 1, "DO") && !is(k - 1, "KEY")
                    && !is(k - 1, "FOR") && !is(k - 1, "DUPLICATE"))) {
                list = true;
            } else if (is(k, "JOIN") || is(k, "STRAIGHT_JOIN") || is(k, "INTO")) {
                list = false;
            } else {
                continue;
            }
            int j = k + 1;
            while (j < n) {
                while (is(j, "ONLY") || is(j, "LATERAL") || is(j, "LOW_PRIORITY") || is(j, "IGNORE")) {
                    j++;
                }
                if (!isName(j)) {
                    break; // a subquery or something unreadable: its own FROM is scanned on its own
                }
                int nameTok = j;
                j++;
                while (isOp(j, ".") && isName(j + 1)) {
                    nameTok = j + 1;
                    j += 2;
                }
                if (isOp(j, "(")) {
                    // a function in FROM (generate_series(...)), or INSERT INTO t (cols): the latter is a table
                    if (!is(k, "INTO")) {
                        j = skipGroup(j);
                        j = skipAlias(j);
                        if (list && isOp(j, ",")) {
                            j++;
                            continue;
                        }
                        break;
                    }
                }
                String name = ident(nameTok);
                String alias = null;
                if (is(j, "AS") && isName(j + 1)) {
                    alias = ident(j + 1);
                    j += 2;
                } else if (isName(j) && !(t.type[j] == SqlLexer.WORD && NOT_ALIAS.contains(upper(j)))) {
                    alias = ident(j);
                    j++;
                }
                if (!cteNames.contains(name)) {
                    out.add(new TableRef(name, alias));
                }
                if (list && isOp(j, ",")) {
                    j++;
                    continue;
                }
                break;
            }
        }
        return new ArrayList<>(out);
    }

    private int skipAlias(int j) {
        if (is(j, "AS")) {
            j++;
        }
        if (isName(j) && !(t.type[j] == SqlLexer.WORD && NOT_ALIAS.contains(upper(j)))) {
            j++;
            if (isOp(j, "(")) {
                j = skipGroup(j);
            }
        }
        return j;
    }

    // ------------------------------------------------------------------------------------------------------
    // WHERE

    private Predicate where() {
        int w = -1;
        for (int k = 0; k < n; k++) {
            if (depth[k] == 0 && is(k, "WHERE")) {
                w = k;
                break;
            }
        }
        if (w < 0) {
            return Predicate.TRUE;
        }
        int end = n;
        for (int k = w + 1; k < n; k++) {
            if (depth[k] == 0 && t.type[k] == SqlLexer.WORD && WHERE_END.contains(upper(k))) {
                end = k;
                break;
            }
        }
        List<Predicate> parts = new ArrayList<>();
        int from = w + 1;
        boolean between = false;
        for (int k = w + 1; k <= end; k++) {
            if (k < end) {
                if (depth[k] != 0) {
                    continue;
                }
                if (is(k, "OR")) {
                    return Predicate.Unknown.INSTANCE;
                }
                if (is(k, "BETWEEN")) {
                    between = true;
                    continue;
                }
                if (!is(k, "AND")) {
                    continue;
                }
                if (between) {
                    between = false;
                    continue;
                }
            }
            parts.add(conjunct(from, k));
            from = k + 1;
        }
        return new Predicate.And(parts);
    }

    /** A column reference at k (a.b.c or c); next[0] gets the index after it. */
    private ColumnRef column(int k, int[] next) {
        if (!isName(k) || t.type[k] == SqlLexer.WORD && isReserved(k)) {
            return null;
        }
        List<Integer> parts = new ArrayList<>(2);
        parts.add(k);
        int j = k + 1;
        while (isOp(j, ".") && isName(j + 1)) {
            parts.add(j + 1);
            j += 2;
        }
        if (isOp(j, "(")) {
            return null; // a function call
        }
        next[0] = j;
        String col = ident(parts.get(parts.size() - 1));
        String q = parts.size() >= 2 ? ident(parts.get(parts.size() - 2)) : null;
        return new ColumnRef(q, col);
    }

    private boolean isReserved(int k) {
        switch (upper(k)) {
            case "NOT", "EXISTS", "NULL", "TRUE", "FALSE", "CASE", "SELECT", "CAST", "INTERVAL", "DATE", "TIMESTAMP",
                    "TIME", "ARRAY", "ROW" -> {
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** A single value at k: a slot, a number, or CAST(value AS type). */
    private ValueRef value(int k, int[] next) {
        if (k >= n) {
            return null;
        }
        int slot = slotAt(k);
        if (slot >= 0) {
            next[0] = k + 1;
            return new ValueRef.Slot(slot);
        }
        if (t.type[k] == SqlLexer.NUMBER) {
            next[0] = k + 1;
            String txt = s.substring(t.start[k], t.end[k]);
            try {
                return new ValueRef.Const(txt.matches("\\d{1,18}") ? (Object) Long.parseLong(txt)
                        : new BigDecimal(txt));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (is(k, "CAST") && isOp(k + 1, "(")) {
            int[] inner = new int[1];
            ValueRef v = value(k + 2, inner);
            if (v != null && is(inner[0], "AS")) {
                int close = skipGroup(k + 1);
                next[0] = close;
                return v;
            }
        }
        return null;
    }

    private Predicate conjunct(int from, int to) {
        int[] next = new int[1];
        ColumnRef col = column(from, next);
        if (col != null) {
            int k = next[0];
            if (isOp(k, "=")) {
                ColumnRef other = column(k + 1, next);
                if (other != null && next[0] == to) {
                    return new Predicate.ColumnEquality(col, other);
                }
                ValueRef v = value(k + 1, next);
                if (v != null && next[0] == to) {
                    return new Predicate.Comparison(col, Op.EQ, List.of(v));
                }
                return Predicate.Unknown.INSTANCE;
            }
            if (is(k, "IN") && isOp(k + 1, "(")) {
                List<ValueRef> values = new ArrayList<>();
                int j = k + 2;
                while (true) {
                    ValueRef v = value(j, next);
                    if (v == null) {
                        return Predicate.Unknown.INSTANCE;
                    }
                    values.add(v);
                    j = next[0];
                    if (isOp(j, ",")) {
                        j++;
                    } else if (isOp(j, ")") && j + 1 == to) {
                        return new Predicate.Comparison(col, Op.IN, values);
                    } else {
                        return Predicate.Unknown.INSTANCE;
                    }
                }
            }
            return Predicate.Unknown.INSTANCE;
        }
        ValueRef v = value(from, next);
        if (v != null && isOp(next[0], "=")) {
            ColumnRef c = column(next[0] + 1, next);
            if (c != null && next[0] == to) {
                return new Predicate.Comparison(c, Op.EQ, List.of(v));
            }
        }
        return Predicate.Unknown.INSTANCE;
    }

    // ------------------------------------------------------------------------------------------------------
    // INSERT and UPDATE

    private InsertInfo insert() {
        int k = 0;
        while (k < n && !(depth[k] == 0 && is(k, "INTO"))) {
            k++;
        }
        if (k >= n || !isName(k + 1)) {
            return null;
        }
        int j = k + 1;
        int nameTok = j;
        j++;
        while (isOp(j, ".") && isName(j + 1)) {
            nameTok = j + 1;
            j += 2;
        }
        String table = ident(nameTok);
        if (is(j, "AS") && isName(j + 1)) {
            j += 2;
        }
        List<String> cols = new ArrayList<>();
        if (isOp(j, "(") && !is(j + 1, "SELECT")) {
            j++;
            while (isName(j)) {
                cols.add(ident(j));
                j++;
                if (isOp(j, ",")) {
                    j++;
                }
            }
            if (!isOp(j, ")")) {
                return null;
            }
            j++;
        }
        if (is(j, "SET")) {
            return insertSet(table, j);
        }
        if (!is(j, "VALUES") && !is(j, "VALUE")) {
            return new InsertInfo(table, cols, List.of(), List.of(), true, -1, -1);
        }
        int valuesStart = t.start[j];
        j++;
        List<List<ValueRef>> rows = new ArrayList<>();
        List<int[]> spans = new ArrayList<>();
        while (isOp(j, "(")) {
            int close = skipGroup(j) - 1;
            List<ValueRef> row = new ArrayList<>();
            int from = j + 1;
            for (int m = j + 1; m <= close; m++) {
                if (m == close || (isOp(m, ",") && depth[m] == depth[j] + 1)) {
                    row.add(rowValue(from, m));
                    from = m + 1;
                }
            }
            rows.add(row);
            spans.add(new int[] {t.start[j], t.end[close]});
            j = close + 1;
            if (isOp(j, ",")) {
                j++;
            } else {
                break;
            }
        }
        int valuesEnd = spans.isEmpty() ? -1 : spans.get(spans.size() - 1)[1];
        return new InsertInfo(table, cols, rows, spans, false, valuesStart, valuesEnd);
    }

    private ValueRef rowValue(int from, int to) {
        int[] next = new int[1];
        ValueRef v = value(from, next);
        if (v != null && next[0] == to) {
            return v;
        }
        if (from >= to) {
            return new ValueRef.Expr("");
        }
        return new ValueRef.Expr(s.substring(t.start[from], t.end[to - 1]));
    }

    /** MySQL {@code INSERT INTO t SET a = ?, b = ?}: one row. */
    private InsertInfo insertSet(String table, int set) {
        List<String> cols = new ArrayList<>();
        List<ValueRef> row = new ArrayList<>();
        int j = set + 1;
        while (isName(j) && isOp(j + 1, "=")) {
            cols.add(ident(j));
            int from = j + 2;
            int m = from;
            while (m < n && !(depth[m] == 0 && isOp(m, ","))) {
                m++;
            }
            row.add(rowValue(from, m));
            j = m + 1;
        }
        int end = t.end[Math.max(set, j - 2)];
        return new InsertInfo(table, cols, List.of(row), List.of(new int[] {t.start[set], end}), false,
                t.start[set], end);
    }

    private List<String> updatedColumns() {
        int k = 0;
        while (k < n && !(depth[k] == 0 && is(k, "SET"))) {
            k++;
        }
        List<String> cols = new ArrayList<>();
        boolean expect = true;
        for (int j = k + 1; j < n; j++) {
            if (depth[j] == 0 && (is(j, "FROM") || is(j, "WHERE") || is(j, "RETURNING"))) {
                break;
            }
            if (depth[j] != 0) {
                continue;
            }
            if (expect && isName(j)) {
                int last = j;
                while (isOp(last + 1, ".") && isName(last + 2)) {
                    last += 2;
                }
                cols.add(ident(last));
                j = last;
                expect = false;
            } else if (isOp(j, ",")) {
                expect = true;
            }
        }
        return cols;
    }
}
