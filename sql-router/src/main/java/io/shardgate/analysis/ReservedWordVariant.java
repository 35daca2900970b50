package io.shardgate.analysis;

import io.shardgate.config.Dialect;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * Applications name columns {@code day}, {@code value}, {@code user} or {@code year}; PostgreSQL and MySQL accept
 * that, Calcite reserves the words. When Calcite fails, the analyser retries once on a variant of the normalised
 * text with such words quoted where they stand as identifiers, and maps positions back.
 */
final class ReservedWordVariant {

    /** Calcite-reserved words that are common column names; deliberately a short list, not every keyword. */
    private static final Set<String> WORDS = Set.of("DAY", "MONTH", "YEAR", "HOUR", "MINUTE", "SECOND", "VALUE",
            "USER", "POSITION", "RESULT", "LANGUAGE", "OPEN", "CLOSE", "METHOD", "MODULE", "PERCENT", "PERIOD",
            "SCOPE", "SEARCH", "SYSTEM", "MATCH", "CONDITION", "ELEMENT", "SIZE", "SESSION", "ROLE", "LEVEL",
            "LOCATION", "DOMAIN", "COMMENT", "COUNT", "START", "GROUPS", "EVENT");

    final String text;
    final int[] toNormalized;

    private ReservedWordVariant(String text, int[] toNormalized) {
        this.text = text;
        this.toNormalized = toNormalized;
    }

    /** The variant, or null when no word needed quoting. */
    static ReservedWordVariant of(String normalized, Dialect d) {
        SqlLexer.Tokens t = SqlLexer.tokenize(normalized, d);
        char q = d == Dialect.MYSQL ? '`' : '"';
        StringBuilder out = null;
        int[] map = null;
        int copied = 0;
        int mapLen = 0;
        for (int k = 0; k < t.n; k++) {
            if (t.type[k] != SqlLexer.WORD) {
                continue;
            }
            String w = normalized.substring(t.start[k], t.end[k]).toUpperCase(Locale.ROOT);
            if (!WORDS.contains(w) || !identifierContext(normalized, t, k)) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(normalized.length() + 8);
                map = new int[normalized.length() + 16];
            }
            // copy up to the word, then the quoted (lower-cased, as PostgreSQL folds it) word
            int need = mapLen + (t.start[k] - copied) + (t.end[k] - t.start[k]) + 3;
            if (need > map.length) {
                map = Arrays.copyOf(map, Math.max(need, map.length * 2));
            }
            for (int i = copied; i < t.start[k]; i++) {
                map[mapLen++] = i;
            }
            out.append(normalized, copied, t.start[k]);
            map[mapLen++] = t.start[k];
            out.append(q);
            for (int i = t.start[k]; i < t.end[k]; i++) {
                map[mapLen++] = i;
            }
            out.append(normalized.substring(t.start[k], t.end[k]).toLowerCase(Locale.ROOT));
            map[mapLen++] = t.end[k];
            out.append(q);
            copied = t.end[k];
        }
        if (out == null) {
            return null;
        }
        int need = mapLen + normalized.length() - copied + 1;
        if (need > map.length) {
            map = Arrays.copyOf(map, need);
        }
        for (int i = copied; i <= normalized.length(); i++) {
            map[mapLen++] = i;
        }
        out.append(normalized, copied, normalized.length());
        return new ReservedWordVariant(out.toString(), Arrays.copyOf(map, mapLen));
    }

    private static boolean identifierContext(String s, SqlLexer.Tokens t, int k) {
        if (k + 1 < t.n && isOp(s, t, k + 1, "(")) {
            return false; // a function: year(x), count(*)
        }
        if (k > 0) {
            int pt = t.type[k - 1];
            if (pt == SqlLexer.STRING || pt == SqlLexer.NUMBER || pt == SqlLexer.QPARAM) {
                return false; // INTERVAL '1' DAY, INTERVAL ? DAY
            }
            if (pt == SqlLexer.WORD && s.regionMatches(true, t.start[k - 1], "TO", 0, 2)
                    && t.end[k - 1] - t.start[k - 1] == 2) {
                return false; // DAY TO SECOND
            }
            if (isOp(s, t, k - 1, "(") && k + 1 < t.n && t.type[k + 1] == SqlLexer.WORD
                    && s.regionMatches(true, t.start[k + 1], "FROM", 0, 4)) {
                return false; // EXTRACT(DAY FROM ...)
            }
        }
        return true;
    }

    private static boolean isOp(String s, SqlLexer.Tokens t, int k, String op) {
        return t.type[k] == SqlLexer.OP && t.end[k] - t.start[k] == op.length() && s.startsWith(op, t.start[k]);
    }
}
