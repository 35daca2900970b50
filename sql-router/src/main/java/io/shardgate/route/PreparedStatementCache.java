package io.shardgate.route;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.shardgate.analysis.Analyzer;
import io.shardgate.analysis.LexedStatement;
import io.shardgate.analysis.SqlLexer;
import io.shardgate.analysis.StatementInfo;
import io.shardgate.config.Dialect;

import java.util.Locale;

/**
 * Everything about a statement that depends on its text alone: the lexed form, the (shared, per normalised text)
 * analysis, and facts derived from them. A prepared statement or a repeated query costs one lookup by exact text
 * before the routing proper; values are bound afterwards. Texts that carry literals (simple-protocol clients, each
 * with other values) are not kept by exact text, where they would almost never be seen again: they are lexed
 * (about 1 us) and share the entry of their normalised text.
 */
final class PreparedStatementCache {
    /** Functions whose call makes a SELECT a write in disguise; such reads go to the primary. */
    private static final String[] SIDE_EFFECT_FUNCTIONS = {"nextval(", "setval(", "lastval(", "currval(",
            "pg_advisory", "pg_try_advisory", "txid_current", "pg_current_xact_id", "pg_notify(", "last_insert_id(",
            "get_lock(", "release_lock(", "pg_sleep", "set_config("};

    record Entry(LexedStatement lexed, StatementInfo info, boolean sideEffects) {
    }

    private record Analysis(StatementInfo info, boolean sideEffects) {
    }

    private final Cache<String, Entry> cache;
    private final Cache<String, Analysis> byNormalizedText;
    private final Analyzer analyzer;
    private final Dialect dialect;

    PreparedStatementCache(int size, Analyzer analyzer, Dialect dialect) {
        // maintenance (evictions) on the calling thread: the default hands it to ForkJoinPool.commonPool, which
        // costs a thread wake-up (futex) per few statements on the proxy's event loops when texts keep changing
        // (literals in simple queries)
        this.cache = Caffeine.newBuilder().maximumSize(size).executor(Runnable::run).build();
        this.byNormalizedText = Caffeine.newBuilder().maximumSize(size).executor(Runnable::run).build();
        this.analyzer = analyzer;
        this.dialect = dialect;
    }

    /** Entries held now (test hook: evictions happen on the calling thread, so this never exceeds the bound). */
    long estimatedSize() {
        return cache.estimatedSize();
    }

    Entry get(String sql) {
        Entry e = cache.getIfPresent(sql);
        if (e != null) {
            return e;
        }
        LexedStatement lexed = SqlLexer.lex(sql, dialect);
        if (!lexed.kind().isDml()) {
            e = new Entry(lexed, null, false);
        } else {
            Analysis a = byNormalizedText.getIfPresent(lexed.normalized());
            if (a == null) {
                a = analyse(lexed);
                byNormalizedText.put(lexed.normalized(), a);
            }
            e = new Entry(lexed, a.info(), a.sideEffects());
            if (hasLiterals(lexed)) {
                return e;
            }
        }
        cache.put(sql, e);
        return e;
    }

    private static boolean hasLiterals(LexedStatement lexed) {
        for (LexedStatement.Slot slot : lexed.slots()) {
            if (slot.kind() == LexedStatement.SlotKind.LITERAL) {
                return true;
            }
        }
        return false;
    }

    private Analysis analyse(LexedStatement lexed) {
        StatementInfo info = analyzer.analyze(lexed);
        String text = lexed.normalized().toLowerCase(Locale.ROOT);
        boolean sideEffects = false;
        for (String f : SIDE_EFFECT_FUNCTIONS) {
            sideEffects |= text.contains(f);
        }
        return new Analysis(info, sideEffects);
    }
}
