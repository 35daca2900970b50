package io.shardgate.analysis;

import io.shardgate.config.Dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardgate.analysis.SelectShape.Aggregate;
import io.shardgate.analysis.SelectShape.SelectItem;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnalyzerTest {

    private final Analyzer analyzer = new Analyzer(100);

    private StatementInfo analyze(String sql) {
        return analyzer.analyze(SqlLexer.lex(sql, Dialect.POSTGRESQL));
    }

    @Test
    void literalVariantsAndPreparedFormsShareOneCacheEntry() {
        StatementInfo a = analyze("SELECT * FROM users WHERE id = 1");
        StatementInfo b = analyze("SELECT * FROM users WHERE id = 2");
        StatementInfo c = analyze("SELECT * FROM users WHERE id = $1");
        assertSame(a, b);
        assertSame(a, c);
        Analyzer.CacheStats stats = analyzer.stats();
        assertEquals(2, stats.hits());
        assertEquals(1, stats.misses());
        assertEquals(2.0 / 3, stats.hitRate(), 1e-9);
        // the cached analysis refers to slots; values come from each execution's lexed statement
        LexedStatement l2 = SqlLexer.lex("SELECT * FROM users WHERE id = 2", Dialect.POSTGRESQL);
        Predicate.Comparison cmp = (Predicate.Comparison) ((Predicate.And) a.where()).parts().get(0);
        int slot = ((ValueRef.Slot) cmp.values().get(0)).index();
        assertEquals(2L, l2.slots().get(slot).literal());
    }

    @Test
    void dialectsDoNotShareEntries() {
        analyzer.analyze(SqlLexer.lex("SELECT a FROM t", Dialect.POSTGRESQL));
        analyzer.analyze(SqlLexer.lex("SELECT a FROM t", Dialect.MYSQL));
        assertEquals(2, analyzer.stats().misses());
    }

    @Test
    void nonDmlNeverReachesCalciteNorTheCache() {
        StatementInfo info = analyze("TRUNCATE a, b");
        assertEquals(StatementKind.DDL, info.kind());
        assertEquals(List.of("a", "b"), info.tableNames());
        assertFalse(info.parsedByCalcite());
        assertEquals(Predicate.TRUE, info.where());
        assertEquals(StatementKind.BEGIN, analyze("BEGIN").kind());
        assertEquals(0, analyzer.stats().misses() + analyzer.stats().hits());
    }

    @Test
    void cachedAnalysisIsImmutable() {
        StatementInfo info = analyze("SELECT a, b FROM t WHERE x IN (1, 2) ORDER BY a");
        assertThrows(UnsupportedOperationException.class, () -> info.tables().add(new TableRef("x", null)));
        assertThrows(UnsupportedOperationException.class, () -> info.select().items().clear());
        Predicate.And and = (Predicate.And) info.where();
        assertThrows(UnsupportedOperationException.class, () -> and.parts().clear());
    }

    @Test
    void selectSpansLetTheRouterSpliceTheOriginal() {
        String sql = "SELECT  o.id,\n sum(o.total)  AS s  FROM orders o /* x */ GROUP BY o.id ORDER BY s DESC LIMIT 10";
        LexedStatement l = SqlLexer.lex(sql, Dialect.POSTGRESQL);
        SelectShape shape = analyzer.analyze(l).select();
        String n = l.normalized();
        SelectItem sum = shape.items().get(1);
        assertEquals(Aggregate.SUM, sum.aggregate());
        assertEquals("sum(o.total)", n.substring(sum.start(), sum.end()));
        assertEquals("o.total", n.substring(sum.argStart(), sum.argEnd()));
        assertEquals("sum(o.total)", sql.substring(l.toOriginalOffset(sum.start()), l.toOriginalOffset(sum.end())));
        // hidden columns go after the last select item (alias included)
        int listEnd = l.toOriginalOffset(shape.selectListEnd());
        assertEquals("SELECT  o.id,\n sum(o.total)  AS s", sql.substring(0, listEnd));
        String withHidden = sql.substring(0, listEnd) + ", count(o.total)" + sql.substring(listEnd);
        assertTrue(withHidden.contains("AS s, count(o.total)  FROM"));
        // the LIMIT clause is spliced out or replaced in the original
        int ls = l.toOriginalOffset(shape.limitClauseStart());
        int le = l.toOriginalOffset(shape.limitClauseEnd());
        assertEquals("LIMIT 10", sql.substring(ls, le));
        assertEquals("DESC", sql.substring(l.toOriginalOffset(shape.orderByEnd()) - 4,
                l.toOriginalOffset(shape.orderByEnd())));
    }

    @Test
    void insertRowSpansMapToTheOriginalRows() {
        String sql = "INSERT INTO t (id, v)\nVALUES (1, 'a'),\n  (2, 'b'), ($1, now()) RETURNING id";
        LexedStatement l = SqlLexer.lex(sql, Dialect.POSTGRESQL);
        InsertInfo ins = analyzer.analyze(l).insert();
        assertEquals(3, ins.rows().size());
        int[] second = ins.rowSpans().get(1);
        assertEquals("(2, 'b')", sql.substring(l.toOriginalOffset(second[0]), l.toOriginalOffset(second[1])));
        int[] third = ins.rowSpans().get(2);
        assertEquals("($1, now())", sql.substring(l.toOriginalOffset(third[0]), l.toOriginalOffset(third[1])));
        // keeping only the first row: splice VALUES .. end of last row
        int vs = l.toOriginalOffset(ins.valuesStart());
        int ve = l.toOriginalOffset(ins.valuesEnd());
        int[] first = ins.rowSpans().get(0);
        String one = sql.substring(0, vs) + "VALUES "
                + sql.substring(l.toOriginalOffset(first[0]), l.toOriginalOffset(first[1])) + sql.substring(ve);
        assertEquals("INSERT INTO t (id, v)\nVALUES (1, 'a') RETURNING id", one);
        assertEquals(0, ins.columnIndex("id"));
    }

    @Test
    void fallbackReasonIsTheFirstLineOfCalcitesMessage() {
        StatementInfo info = analyze("SELECT a FROM t WHERE j ->> 'k' = $1");
        assertFalse(info.parsedByCalcite());
        assertTrue(info.fallbackReason().startsWith("Encountered"), info.fallbackReason());
        assertFalse(info.fallbackReason().contains("\n"));
        assertTrue(info.select().unsupportedReason().startsWith("not parsed by Calcite"));
    }

    @Test
    void updateAndDeleteTargetsComeFirst() {
        StatementInfo up = analyze("UPDATE accounts a SET balance = (SELECT sum(x) FROM ledger l WHERE l.aid = a.id)"
                + " WHERE a.id = $1");
        assertEquals(List.of(new TableRef("accounts", "a"), new TableRef("ledger", "l")), up.tables());
        assertEquals(List.of("balance"), up.updatedColumns());
        assertNull(up.select());
        StatementInfo del = analyze("DELETE FROM sessions WHERE expires < now()");
        assertEquals(List.of(new TableRef("sessions", null)), del.tables());
        // a function call is a value the router cannot evaluate, not a column
        assertEquals("AND[expires LT [expr(now())]]", del.where().toString());
    }

    /** Not a timed assertion: prints what a parse costs against a cache hit. */
    @Test
    void microCheckParseVersusCacheHit() {
        String[] sqls = {
            "select user0_.id as id1_0_, user0_.email as email2_0_ from users user0_ where user0_.id=? and user0_.tenant_id=?",
            "SELECT customer_id, count(*), sum(total) FROM orders WHERE tenant_id = $1 GROUP BY customer_id ORDER BY 2 DESC LIMIT 10",
            "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES ($1, $2, $3, $4, CURRENT_TIMESTAMP)",
        };
        int rounds = 2000;
        long lexNanos = 0;
        long parseNanos = 0;
        long hitNanos = 0;
        Analyzer cached = new Analyzer(10);
        for (int r = 0; r < rounds; r++) {
            for (String sql : sqls) {
                long t0 = System.nanoTime();
                LexedStatement l = SqlLexer.lex(sql, Dialect.POSTGRESQL);
                long t1 = System.nanoTime();
                Analyzer.analyzeUncached(l);
                long t2 = System.nanoTime();
                cached.analyze(l);
                long t3 = System.nanoTime();
                if (r >= rounds / 3) { // skip warm-up
                    lexNanos += t1 - t0;
                    parseNanos += t2 - t1;
                    hitNanos += t3 - t2;
                }
            }
        }
        double n = (rounds - rounds / 3) * sqls.length;
        System.out.printf("analysis micro-check: lex %.1f µs, Calcite parse+analysis %.1f µs, cache hit %.2f µs%n",
                lexNanos / n / 1000, parseNanos / n / 1000, hitNanos / n / 1000);
        assertTrue(cached.stats().hits() > 0);
    }
}
