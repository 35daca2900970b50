package io.shardgate.route;

import io.shardgate.analysis.SqlLexer;
import io.shardgate.config.Dialect;

import java.util.List;
import java.util.Map;

/**
 * Renumbers {@code $n} after a rewrite dropped some of them, because PostgreSQL cannot infer the type of a parameter
 * the text no longer mentions. The placeholders are found by {@link SqlLexer#placeholders}, the one owner of SQL
 * quoting and comment rules.
 */
final class DollarParameters {
    private DollarParameters() {
    }

    /** Each placeholder as {start, end, zero-based index for $n or -1 for ?} (the lexer's tokens). */
    static List<int[]> scan(String sql, Dialect dialect) {
        return SqlLexer.placeholders(sql, dialect);
    }

    /** Replaces each {@code $n} by {@code $m} where {@code renumber} maps n-1 to m. */
    static String renumber(String sql, Map<Integer, Integer> renumber, Dialect dialect) {
        StringBuilder sb = new StringBuilder(sql.length());
        int pos = 0;
        for (int[] p : scan(sql, dialect)) {
            if (p[2] < 0) {
                continue;
            }
            Integer to = renumber.get(p[2]);
            if (to == null) {
                continue;
            }
            sb.append(sql, pos, p[0]).append('$').append(to);
            pos = p[1];
        }
        return sb.append(sql, pos, sql.length()).toString();
    }
}
