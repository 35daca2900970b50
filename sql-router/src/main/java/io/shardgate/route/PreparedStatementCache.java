package io.shardgate.route;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.shardgate.analysis.Analyzer;
import io.shardgate.analysis.LexedStatement;
import io.shardgate.analysis.SqlLexer;
import io.shardgate.analysis.StatementInfo;
import io.shardgate.config.Dialect;


/**
 * Everything about a statement that depends on its text alone, kept by exact text: the lexed form, the (shared,
 * per normalised text) analysis, and facts derived from them. A prepared statement or a repeated query then costs
 * one cache lookup before the routing proper; values are bound afterwards.
 */
final class PreparedStatementCache {
    /** Functions whose call makes a SELECT a write in disguise; such reads go to the primary. */
    private static final String[] SIDE_EFFECT_FUNCTIONS = {"nextval", "setval", "lastval", "currval", "pg_notify",
            "last_insert_id", "get_lock", "release_lock", "set_config"};
    /** Families of them, matched by prefix: pg_advisory_xact_lock_shared, pg_sleep_for, txid_current_if_assigned... */
    private static final String[] SIDE_EFFECT_FUNCTION_PREFIXES = {"pg_advisory", "pg_try_advisory", "pg_sleep",
            "txid_current", "pg_current_xact_id"};

    private final Cache<String, RoutableStatement> cache;
    /**
     * Statements by literal shape (equal when their SqlLexer.LiteralShape#key is): one lexed text stands for all its
     * literal variants. Keyed by the shape itself, which hashes and compares in place: no key is built per lookup.
     */
    private final Cache<SqlLexer.LiteralShape, Shaped> shapes;
    private final Analyzer analyzer;
    private final Dialect dialect;

    PreparedStatementCache(int size, Analyzer analyzer, Dialect dialect) {
        // maintenance (evictions) on the calling thread: the default hands it to ForkJoinPool.commonPool, which
        // costs a thread wake-up (futex) per few statements on the proxy's event loops when texts keep changing
        // (literals in simple queries)
        this.cache = Caffeine.newBuilder().maximumSize(size).executor(Runnable::run).build();
        this.shapes = Caffeine.newBuilder().maximumSize(size).executor(Runnable::run).build();
        this.analyzer = analyzer;
        this.dialect = dialect;
    }

    /** Entries held now (test hook: evictions happen on the calling thread, so this never exceeds the bound). */
    long estimatedSize() {
        return cache.estimatedSize();
    }

    /**
     * The statement for {@code sql}. Texts with number or string literals ({@code ... WHERE aid = 48213}, a new text
     * per execution in simple-protocol clients) are not kept by exact text: they would rarely be hit again and would
     * evict the entries that are (prepared statements). They are kept by literal shape instead: the first text of a
     * shape is lexed and analysed, the next ones only get their literal values read ({@link
     * LexedStatement.Template#bind}).
     */
    RoutableStatement get(String sql) {
        RoutableStatement e = cache.getIfPresent(sql);
        if (e != null) {
            return e;
        }
        SqlLexer.LiteralShape shape = SqlLexer.literalShape(sql, dialect);
        if (shape != null) {
            Shaped shaped = shapes.getIfPresent(shape);
            if (shaped != null) {
                RoutableStatement t = shaped.statement;
                return new RoutableStatement(shaped.template.bind(sql, shape), t);
            }
        }
        e = load(sql);
        if (!hasLiterals(e.lexed())) {
            cache.put(sql, e);
        } else if (shape != null) {
            LexedStatement.Template template = e.lexed().template(shape);
            if (template != null) {
                shapes.put(shape, new Shaped(e, template));
            }
        }
        return e;
    }

    /** The statement first seen with a literal shape, and its lexed form as the template of that shape. */
    private record Shaped(RoutableStatement statement, LexedStatement.Template template) {
    }

    private static boolean hasLiterals(LexedStatement lexed) {
        for (LexedStatement.Slot slot : lexed.slots()) {
            if (slot.kind() == LexedStatement.SlotKind.LITERAL) {
                return true;
            }
        }
        return false;
    }

    private RoutableStatement load(String sql) {
        LexedStatement lexed = SqlLexer.lex(sql, dialect);
        if (!lexed.kind().isDml()) {
            return new RoutableStatement(lexed, null, false);
        }
        StatementInfo info = analyzer.analyze(lexed);
        return new RoutableStatement(lexed, info, callsSideEffectFunction(lexed.normalized()));
    }

    /**
     * Whether the text calls one of {@link #SIDE_EFFECT_FUNCTIONS} (any case, schema-qualified or not, spaces before
     * the parenthesis allowed). Looks only at the word before each '(' : this runs for every simple-protocol text
     * with literals, where lower-casing the whole text and searching it for each name cost more than the lexing.
     */
    static boolean callsSideEffectFunction(String text) {
        for (int paren = text.indexOf('('); paren >= 0; paren = text.indexOf('(', paren + 1)) {
            int end = paren;
            while (end > 0 && text.charAt(end - 1) == ' ') {
                end--;
            }
            int start = end;
            while (start > 0 && isWordChar(text.charAt(start - 1))) {
                start--;
            }
            if (end > start && isSideEffectFunction(text, start, end - start)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isWordChar(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean isSideEffectFunction(String text, int start, int length) {
        for (String f : SIDE_EFFECT_FUNCTIONS) {
            if (f.length() == length && text.regionMatches(true, start, f, 0, length)) {
                return true;
            }
        }
        for (String f : SIDE_EFFECT_FUNCTION_PREFIXES) {
            if (f.length() <= length && text.regionMatches(true, start, f, 0, f.length())) {
                return true;
            }
        }
        return false;
    }
}
