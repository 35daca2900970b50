package io.shardgate.route;

import io.shardgate.config.Dialect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds parameter placeholders ({@code $n} and {@code ?}) in a piece of SQL, skipping strings, quoted identifiers,
 * dollar-quoted bodies and comments; and renumbers {@code $n} after a rewrite dropped some of them, because
 * PostgreSQL cannot infer the type of a parameter the text no longer mentions.
 */
final class DollarParameters {
    private DollarParameters() {
    }

    /** Each placeholder as {start, end, zero-based index for $n or -1 for ?}. */
    static List<int[]> scan(String sql, Dialect dialect) {
        List<int[]> out = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || (c == '`' && dialect == Dialect.MYSQL)) {
                boolean backslash = dialect == Dialect.MYSQL
                        || (c == '\'' && i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e'));
                i = skipQuoted(sql, i, c, backslash);
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                i = skipLine(sql, i);
            } else if (c == '#' && dialect == Dialect.MYSQL) {
                i = skipLine(sql, i);
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                i = skipBlock(sql, i);
            } else if (c == '$' && dialect == Dialect.POSTGRESQL) {
                int j = i + 1;
                while (j < n && Character.isDigit(sql.charAt(j))) {
                    j++;
                }
                if (j > i + 1 && (i == 0 || !Character.isJavaIdentifierPart(sql.charAt(i - 1)))) {
                    out.add(new int[]{i, j, Integer.parseInt(sql.substring(i + 1, j)) - 1});
                    i = j;
                } else {
                    int end = sql.indexOf('$', i + 1);
                    String tag = end > 0 ? sql.substring(i, end + 1) : null;
                    if (tag != null && tag.chars().skip(1).limit(tag.length() - 2L)
                            .allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_')) {
                        int close = sql.indexOf(tag, end + 1);
                        i = close < 0 ? n : close + tag.length();
                    } else {
                        i++;
                    }
                }
            } else if (c == '?') {
                out.add(new int[]{i, i + 1, -1});
                i++;
            } else {
                i++;
            }
        }
        return out;
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

    private static int skipQuoted(String sql, int i, char quote, boolean backslash) {
        int n = sql.length();
        int j = i + 1;
        while (j < n) {
            char c = sql.charAt(j);
            if (backslash && c == '\\') {
                j += 2;
                continue;
            }
            if (c == quote) {
                if (j + 1 < n && sql.charAt(j + 1) == quote) {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            j++;
        }
        return n;
    }

    private static int skipLine(String sql, int i) {
        int nl = sql.indexOf('\n', i);
        return nl < 0 ? sql.length() : nl + 1;
    }

    private static int skipBlock(String sql, int i) {
        int depth = 0;
        int n = sql.length();
        int j = i;
        while (j < n) {
            if (sql.startsWith("/*", j)) {
                depth++;
                j += 2;
            } else if (sql.startsWith("*/", j)) {
                depth--;
                j += 2;
                if (depth == 0) {
                    return j;
                }
            } else {
                j++;
            }
        }
        return n;
    }
}
