package io.shardgate.route;

import io.shardgate.analysis.Analyzer;
import io.shardgate.config.Dialect;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Texts that differ in their literals (simple-protocol clients such as pgbench -S) are not kept by exact text;
 * texts that keep changing otherwise insert a new entry per statement. Evictions must happen on the calling thread, inside the insert, not in a task handed to
 * ForkJoinPool.commonPool (Caffeine's default), which woke a pool thread every few statements on the proxy's
 * event loops.
 */
class PreparedStatementCacheTest {
    @Test
    void evictionsHappenOnTheCallingThread() {
        PreparedStatementCache cache = new PreparedStatementCache(100, new Analyzer(100), Dialect.POSTGRESQL);
        for (int i = 0; i < 5_000; i++) {
            // distinct texts without literals (literal variants are not cached by exact text at all)
            cache.get("SELECT abalance_" + i + " FROM pgbench_accounts WHERE aid = $1");
            long size = cache.estimatedSize();
            assertTrue(size <= 100, "after statement " + i + " the cache holds " + size + " entries");
        }
    }

    @Test
    void textsWithLiteralsAreKeptByShapeNotByExactTextButPreparedOnesAre() {
        Analyzer analyzer = new Analyzer(100);
        PreparedStatementCache cache = new PreparedStatementCache(100, analyzer, Dialect.POSTGRESQL);
        for (int i = 0; i < 50; i++) {
            RoutableStatement s = cache.get("SELECT abalance FROM pgbench_accounts WHERE aid = " + i);
            assertEquals(List.of((long) i), List.of(s.lexed().slots().get(0).literal()));
        }
        assertEquals(0, cache.estimatedSize(), "literal variants are not cached by exact text");
        assertEquals(1, analyzer.stats().misses(), "analysed once");
        assertEquals(0, analyzer.stats().hits(), "the later variants are bound from the first one's template");

        String prepared = "SELECT abalance FROM pgbench_accounts WHERE aid = $1";
        RoutableStatement first = cache.get(prepared);
        assertSame(first, cache.get(prepared));
        cache.get("BEGIN");
        assertEquals(2, cache.estimatedSize(), "the prepared text and BEGIN");
    }

    @Test
    void sideEffectFunctionsAreFound() {
        for (String sql : List.of("SELECT nextval('s')", "select NEXTVAL('s')", "SELECT PG_ADVISORY_LOCK(1)",
                "SELECT pg_try_advisory_lock(1)", "SELECT txid_current()", "SELECT Last_Insert_Id()",
                "SELECT pg_sleep(1)", "SELECT set_config('a', 'b', false)", "SELECT 'Ä' || nextval('s')",
                "SELECT pg_catalog.nextval ('s')", "SELECT pg_advisory_xact_lock_shared(7)", "SELECT 1, (setval('s', 3))")) {
            assertTrue(PreparedStatementCache.callsSideEffectFunction(sql), sql);
        }
        for (String sql : List.of("SELECT * FROM t WHERE a = 1", "SELECT 'Ä'", "SELECT currval",
                "SELECT abalance FROM pgbench_accounts", "SELECT my_nextval(1)", "SELECT count(*) FROM sequences_nextval",
                "SELECT nextvalue(1)")) {
            assertFalse(PreparedStatementCache.callsSideEffectFunction(sql), sql);
        }
    }
}
