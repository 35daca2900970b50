package io.shardgate.analysis;

import io.shardgate.config.Dialect;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Analyses lexed statements, caching the result by normalised text: parsing costs tens to hundreds of µs,
 * a cache hit a hash lookup. Prepared statements and statements that differ only in literal values share one
 * entry. Thread-safe.
 */
public final class Analyzer {

    private static final Logger LOG = LoggerFactory.getLogger(Analyzer.class);

    /** Hit and miss counts of the analysis cache. */
    public record CacheStats(long hits, long misses, long size) {
        public double hitRate() {
            long total = hits + misses;
            return total == 0 ? 0 : (double) hits / total;
        }
    }

    private final Cache<Key, StatementInfo> cache;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    public Analyzer(int cacheSize) {
        if (cacheSize < 0) {
            throw new IllegalArgumentException("cacheSize cannot be negative: " + cacheSize);
        }
        // maintenance on the calling thread, not ForkJoinPool.commonPool (see PreparedStatementCache)
        this.cache = Caffeine.newBuilder().maximumSize(cacheSize).executor(Runnable::run).build();
    }

    /** The analysis of a statement; DML is looked up in the cache first. */
    public StatementInfo analyze(LexedStatement lexed) {
        if (!lexed.kind().isDml()) {
            return StatementInfo.nonDml(lexed.kind(), lexed.objectTables());
        }
        Key key = new Key(lexed.dialect(), lexed.normalized());
        StatementInfo info = cache.getIfPresent(key);
        if (info != null) {
            hits.increment();
            return info;
        }
        misses.increment();
        info = analyzeUncached(lexed);
        cache.put(key, info);
        return info;
    }

    /** The dialect is part of the key: the same text may quote differently. */
    private record Key(Dialect dialect, String normalized) {
    }

    /** Parses with Calcite, falling back to the token-level analysis when Calcite cannot. No caching. */
    public static StatementInfo analyzeUncached(LexedStatement lexed) {
        if (!lexed.kind().isDml()) {
            return StatementInfo.nonDml(lexed.kind(), lexed.objectTables());
        }
        if (lexed.calciteBlocker != null) {
            return TokenFallbackAnalyzer.analyze(lexed, lexed.calciteBlocker);
        }
        try {
            return CalciteAnalysis.analyze(lexed);
        } catch (Exception | StackOverflowError e) {
            String reason = firstLine(e);
            ReservedWordVariant variant = ReservedWordVariant.of(lexed.normalized(), lexed.dialect());
            if (variant != null) {
                try {
                    return CalciteAnalysis.analyze(lexed, variant.text, variant.toNormalized);
                } catch (Exception | StackOverflowError again) {
                    LOG.debug("Calcite could not parse the quoted variant [{}] either: {}", variant.text,
                            firstLine(again));
                }
            }
            LOG.debug("Calcite could not parse [{}]: {}", lexed.normalized(), reason);
            return TokenFallbackAnalyzer.analyze(lexed, reason);
        }
    }

    private static String firstLine(Throwable e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = msg.indexOf('\n');
        return nl < 0 ? msg : msg.substring(0, nl);
    }

    public CacheStats stats() {
        return new CacheStats(hits.sum(), misses.sum(), cache.estimatedSize());
    }

    /** Drops every cached analysis (e.g. after a configuration change that matters to analysis). */
    public void invalidateAll() {
        cache.invalidateAll();
    }
}
