package io.shardgate.route;

import io.shardgate.analysis.Analyzer;
import io.shardgate.config.Dialect;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Texts that differ in their literals (simple-protocol clients such as pgbench -S) insert a new entry per
 * statement. Evictions must happen on the calling thread, inside the insert, not in a task handed to
 * ForkJoinPool.commonPool (Caffeine's default), which woke a pool thread every few statements on the proxy's
 * event loops.
 */
class PreparedStatementCacheTest {
    @Test
    void evictionsHappenOnTheCallingThread() {
        PreparedStatementCache cache = new PreparedStatementCache(100, new Analyzer(100), Dialect.POSTGRESQL);
        for (int i = 0; i < 5_000; i++) {
            cache.get("SELECT abalance FROM pgbench_accounts WHERE aid = " + i);
            long size = cache.estimatedSize();
            assertTrue(size <= 100, "after statement " + i + " the cache holds " + size + " entries");
        }
    }

    @Test
    void literalVariantsShareTheirNormalisedEntryWhileParameterisedTextsAreKeptByText() {
        PreparedStatementCache cache = new PreparedStatementCache(100, new Analyzer(100), Dialect.POSTGRESQL);
        PreparedStatementCache.Entry a = cache.get("SELECT abalance FROM pgbench_accounts WHERE aid = 1");
        PreparedStatementCache.Entry b = cache.get("SELECT abalance FROM pgbench_accounts WHERE aid = 2");
        assertTrue(a.info() == b.info(), "one analysis for both literal variants");
        assertEquals(0, cache.estimatedSize(), "literal variants are not kept by exact text");
        PreparedStatementCache.Entry p = cache.get("SELECT abalance FROM pgbench_accounts WHERE aid = $1");
        assertTrue(p == cache.get("SELECT abalance FROM pgbench_accounts WHERE aid = $1"), "kept by text");
        assertEquals(1, cache.estimatedSize());
        assertTrue(cache.get("SELECT nextval('s')").sideEffects());
    }
}
