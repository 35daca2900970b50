package io.shardgate.analysis;

import io.shardgate.config.Dialect;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The hand-written lexer that runs on every statement before anything else. It is what keeps transaction
 * control and session commands away from Calcite, and what turns literal-only variants of a statement into one
 * cache key. One pass builds a token table (parallel int arrays, no token objects); the rest works on it.
 */
public final class SqlLexer {

    static final int WORD = 1;
    static final int QIDENT = 2;
    static final int STRING = 3;
    static final int ESTRING = 4;
    static final int DOLLARSTR = 5;
    static final int NUMBER = 6;
    static final int DPARAM = 7;
    static final int QPARAM = 8;
    static final int OP = 9;
    static final int LINE_COMMENT = 10;
    static final int BLOCK_COMMENT = 11;

    private static final Set<String> DDL_WORDS =
            Set.of("CREATE", "ALTER", "DROP", "TRUNCATE", "COMMENT", "GRANT", "REVOKE", "RENAME");
    private static final Set<String> TYPE_PREFIX = Set.of("DATE", "TIME", "TIMESTAMP", "INTERVAL");
    private static final Set<String> UNARY_CONTEXT = Set.of("SELECT", "WHERE", "AND", "OR", "NOT", "WHEN", "THEN",
            "ELSE", "BY", "LIMIT", "OFFSET", "VALUES", "SET", "BETWEEN", "IN", "IS", "LIKE", "ON", "HAVING", "CASE",
            "RETURN", "FETCH", "FIRST", "NEXT");
    private static final Set<String> ORDINAL_CONTEXT_END = Set.of("SELECT", "LIMIT", "OFFSET", "FETCH", "HAVING",
            "WINDOW", "UNION", "INTERSECT", "EXCEPT", "FROM", "WHERE", "VALUES");
    private static final Set<String> NOT_FUNCTION = Set.of("IN", "AND", "OR", "NOT", "WHERE", "SELECT", "ON",
            "VALUES", "AS", "EXISTS", "ANY", "ALL", "SOME", "THEN", "ELSE", "WHEN", "FROM", "JOIN", "BY", "USING");
    private static final Set<String> TYPE_CONTINUATION = Set.of("VARYING", "PRECISION");

    private SqlLexer() {
    }

    // ------------------------------------------------------------------------------------------------------
    // scanning

    /** Token table of one string: type, start, end per token (comments included, whitespace not). */
    static final class Tokens {
        int n;
        int[] type;
        int[] start;
        int[] end;

        Tokens() {
            this(32);
        }

        Tokens(int capacity) {
            type = new int[capacity];
            start = new int[capacity];
            end = new int[capacity];
        }

        void add(int t, int s, int e) {
            if (n == type.length) {
                type = Arrays.copyOf(type, n * 2);
                start = Arrays.copyOf(start, n * 2);
                end = Arrays.copyOf(end, n * 2);
            }
            type[n] = t;
            start[n] = s;
            end[n] = e;
            n++;
        }
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isIdentPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    /** The statements EXPLAIN can run or plan, by their first keyword. */
    private static final java.util.Set<String> EXPLAINABLE = java.util.Set.of("SELECT", "INSERT", "UPDATE", "DELETE",
            "WITH", "VALUES", "TABLE", "REPLACE", "MERGE");

    /**
     * Scans the token starting at {@code i} (not whitespace) and returns its end; the type goes to
     * {@code typeOut[0]}.
     */
    static int scan(String s, int i, Dialect d, int[] typeOut) {
        int len = s.length();
        char c = s.charAt(i);
        char next = i + 1 < len ? s.charAt(i + 1) : '\0';
        if (c == '-' && next == '-' && (d == Dialect.POSTGRESQL || i + 2 >= len
                || Character.isWhitespace(s.charAt(i + 2)))) {
            typeOut[0] = LINE_COMMENT;
            return lineEnd(s, i);
        }
        if (c == '#' && d == Dialect.MYSQL) {
            typeOut[0] = LINE_COMMENT;
            return lineEnd(s, i);
        }
        if (c == '/' && next == '*') {
            typeOut[0] = BLOCK_COMMENT;
            int depth = 1;
            int j = i + 2;
            while (j < len && depth > 0) {
                char x = s.charAt(j);
                if (x == '/' && j + 1 < len && s.charAt(j + 1) == '*') {
                    depth++;
                    j += 2;
                } else if (x == '*' && j + 1 < len && s.charAt(j + 1) == '/') {
                    depth--;
                    j += 2;
                } else {
                    j++;
                }
            }
            return j;
        }
        if (c == '\'') {
            typeOut[0] = STRING;
            return quoted(s, i + 1, '\'', d == Dialect.MYSQL);
        }
        if (c == '"') {
            if (d == Dialect.MYSQL) {
                typeOut[0] = STRING;
                return quoted(s, i + 1, '"', true);
            }
            typeOut[0] = QIDENT;
            return quoted(s, i + 1, '"', false);
        }
        if (c == '`' && d == Dialect.MYSQL) {
            typeOut[0] = QIDENT;
            return quoted(s, i + 1, '`', false);
        }
        if ((c == 'E' || c == 'e') && next == '\'' && d == Dialect.POSTGRESQL) {
            typeOut[0] = ESTRING;
            return quoted(s, i + 2, '\'', true);
        }
        if (c == '$' && d == Dialect.POSTGRESQL) {
            if (Character.isDigit(next)) {
                int j = i + 1;
                while (j < len && Character.isDigit(s.charAt(j))) {
                    j++;
                }
                typeOut[0] = DPARAM;
                return j;
            }
            int j = i + 1;
            while (j < len && (isIdentStart(s.charAt(j)) || (j > i + 1 && Character.isDigit(s.charAt(j))))) {
                j++;
            }
            if (j < len && s.charAt(j) == '$') {
                String tag = s.substring(i, j + 1);
                int close = s.indexOf(tag, j + 1);
                typeOut[0] = DOLLARSTR;
                return close < 0 ? len : close + tag.length();
            }
            typeOut[0] = OP;
            return i + 1;
        }
        if (Character.isDigit(c) || (c == '.' && Character.isDigit(next))) {
            int j = i;
            while (j < len && Character.isDigit(s.charAt(j))) {
                j++;
            }
            if (j < len && s.charAt(j) == '.' && !(j + 1 < len && s.charAt(j + 1) == '.')) {
                j++;
                while (j < len && Character.isDigit(s.charAt(j))) {
                    j++;
                }
            }
            if (j < len && (s.charAt(j) == 'e' || s.charAt(j) == 'E')) {
                int k = j + 1;
                if (k < len && (s.charAt(k) == '+' || s.charAt(k) == '-')) {
                    k++;
                }
                if (k < len && Character.isDigit(s.charAt(k))) {
                    j = k;
                    while (j < len && Character.isDigit(s.charAt(j))) {
                        j++;
                    }
                }
            }
            typeOut[0] = NUMBER;
            return j;
        }
        if (isIdentStart(c)) {
            int j = i + 1;
            while (j < len && isIdentPart(s.charAt(j))) {
                j++;
            }
            typeOut[0] = WORD;
            return j;
        }
        if (c == '?') {
            typeOut[0] = QPARAM;
            return i + 1;
        }
        typeOut[0] = OP;
        // compared char by char: this runs for every operator of every text lexed or shaped
        if (i + 2 < len && (c == '-' || c == '#') && next == '>' && s.charAt(i + 2) == '>') {
            return i + 3; // ->> #>>
        }
        return i + 1 < len && isTwoCharOperator(c, next) ? i + 2 : i + 1;
    }

    /** {@code :: <= >= <> != || -> #> @> <@ := =>} */
    private static boolean isTwoCharOperator(char c, char next) {
        return switch (c) {
            case ':' -> next == ':' || next == '=';
            case '<' -> next == '=' || next == '>' || next == '@';
            case '>', '!' -> next == '=';
            case '|' -> next == '|';
            case '-', '#', '@', '=' -> next == '>';
            default -> false;
        };
    }

    private static int lineEnd(String s, int i) {
        int j = s.indexOf('\n', i);
        return j < 0 ? s.length() : j;
    }

    /** Scans to just after the closing quote; doubled quotes always escape, backslash only when asked. */
    private static int quoted(String s, int i, char q, boolean backslash) {
        int len = s.length();
        int j = i;
        while (j < len) {
            char x = s.charAt(j);
            if (backslash && x == '\\') {
                j += 2;
            } else if (x == q) {
                if (j + 1 < len && s.charAt(j + 1) == q) {
                    j += 2;
                } else {
                    return j + 1;
                }
            } else {
                j++;
            }
        }
        return len;
    }

    static Tokens tokenize(String s, Dialect d) {
        Tokens t = new Tokens();
        int[] type = new int[1];
        int len = s.length();
        for (int i = skipWhitespace(s, 0); i < len; ) {
            int e = scan(s, i, d, type);
            t.add(type[0], i, e);
            i = skipWhitespace(s, e);
        }
        return t;
    }

    /** The first index at or after {@code i} that is not whitespace (the length of {@code s} if none). */
    private static int skipWhitespace(String s, int i) {
        int len = s.length();
        while (i < len && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /**
     * A text's number and string literals, and its text with each of them replaced by one marker character of the
     * literal's token type. Two texts with the same {@link #key()} are the same token sequence but for the contents
     * of those literals, and the lexer decides on token types and words, never on a literal's contents: a statement
     * lexed once stands for every text of its shape ({@link LexedStatement#template}). This is what spares
     * simple-protocol clients, whose texts differ only in their literals ({@code ... WHERE aid = 48213}), a full
     * lexing per statement.
     */
    public static final class LiteralShape {
        /** The text this shape was read from; the shape is that text with each literal standing for its type. */
        final String text;
        final int hash;
        final int count;
        /** Token type, start and end of each literal: the first {@link #count} entries. */
        final int[] type;
        final int[] start;
        final int[] end;

        LiteralShape(String text, int hash, int count, int[] type, int[] start, int[] end) {
            this.text = text;
            this.hash = hash;
            this.count = count;
            this.type = type;
            this.start = start;
            this.end = end;
        }

        /**
         * The text with each literal replaced by its marker: equal keys, equal shapes. Built on demand: shapes are
         * compared and hashed in place ({@link #equals}), so looking one up allocates no key.
         */
        public String key() {
            StringBuilder key = new StringBuilder(text.length());
            int from = 0;
            for (int k = 0; k < count; k++) {
                key.append(text, from, start[k]).append((char) type[k]);
                from = end[k];
            }
            return key.append(text, from, text.length()).toString();
        }

        /** How many number and string literals the text has. */
        public int count() {
            return count;
        }

        /** {@link #key()}'s hash code, computed without building the key. */
        @Override
        public int hashCode() {
            return hash;
        }

        /** Whether {@code o} is a shape with the same {@link #key()}, compared without building either key. */
        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            if (!(o instanceof LiteralShape other) || other.hash != hash || other.count != count) {
                return false;
            }
            int from = 0;
            int otherFrom = 0;
            for (int k = 0; k < count; k++) {
                int n = start[k] - from;
                if (type[k] != other.type[k] || other.start[k] - otherFrom != n
                        || !text.regionMatches(from, other.text, otherFrom, n)) {
                    return false;
                }
                from = end[k];
                otherFrom = other.end[k];
            }
            int n = text.length() - from;
            return other.text.length() - otherFrom == n && text.regionMatches(from, other.text, otherFrom, n);
        }
    }

    /**
     * The literal shape of {@code s}, or null when it has no number or string literal, or holds a character that
     * could be taken for a marker (a control character below U+0008 outside literals, never valid SQL anyway).
     */
    public static LiteralShape literalShape(String s, Dialect d) {
        // one pass of the scanner, keeping only the literals: this runs for every simple-protocol text with literals
        int len = s.length();
        int[] typeOut = new int[1];
        Tokens literals = null;
        for (int i = skipWhitespace(s, 0); i < len; ) {
            int e = scan(s, i, d, typeOut);
            if (isLiteral(typeOut[0])) {
                if (literals == null) {
                    literals = new Tokens(4);
                }
                literals.add(typeOut[0], i, e);
            } else if (s.charAt(i) < MARKER_LIMIT) {
                return null;
            }
            i = skipWhitespace(s, e);
        }
        if (literals == null) {
            return null;
        }
        int count = literals.n;
        int[] type = literals.type;
        int[] start = literals.start;
        int[] end = literals.end;
        // the hash of the key (String#hashCode of the text with a marker per literal), without building the key
        int hash = 0;
        int from = 0;
        for (int k = 0; k <= count; k++) {
            int to = k < count ? start[k] : len;
            for (int i = from; i < to; i++) {
                hash = 31 * hash + s.charAt(i);
            }
            if (k < count) {
                hash = 31 * hash + type[k];
                from = end[k];
            }
        }
        return new LiteralShape(s, hash, count, type, start, end);
    }

    /** Marker characters are the literal token types (3 to 6); text characters below this cannot be told apart. */
    private static final char MARKER_LIMIT = 8;

    private static boolean isLiteral(int type) {
        return type == NUMBER || type == STRING || type == ESTRING || type == DOLLARSTR;
    }

    /**
     * Each parameter placeholder of {@code sql} outside strings, quoted identifiers, dollar quotes and comments, as
     * {@code {start, end, index}}: the zero-based index of a {@code $n}, or -1 for a {@code ?}.
     */
    public static List<int[]> placeholders(String sql, Dialect d) {
        Tokens t = tokenize(sql, d);
        List<int[]> out = new ArrayList<>();
        for (int k = 0; k < t.n; k++) {
            if (t.type[k] == DPARAM) {
                out.add(new int[]{t.start[k], t.end[k], Integer.parseInt(sql, t.start[k] + 1, t.end[k], 10) - 1});
            } else if (t.type[k] == QPARAM) {
                out.add(new int[]{t.start[k], t.end[k], -1});
            }
        }
        return out;
    }

    /**
     * The names {@code statement} mentions: its words and quoted identifiers outside strings, dollar quotes and
     * comments, read as {@link #identifier} reads them. Keywords are among them (the lexer cannot tell a keyword
     * from a name): for finding the tables named by a statement the router does not otherwise understand.
     */
    public static List<String> identifiers(String statement, Dialect d) {
        Tokens t = tokenize(statement, d);
        List<String> out = new ArrayList<>();
        for (int k = 0; k < t.n; k++) {
            if (t.type[k] == WORD || t.type[k] == QIDENT) {
                out.add(identifier(statement, t.start[k], t.end[k], t.type[k] == QIDENT));
            }
        }
        return out;
    }

    /**
     * {@code TABLE name ...}, the shorthand of PostgreSQL and MySQL 8, written as the {@code SELECT * FROM name ...}
     * it stands for (the text around the keyword kept as it is); null when the statement does not start with TABLE.
     * The analysis and the cross-shard merge read a select list, which the shorthand has none of.
     */
    public static String explicitTableAsSelect(String statement, Dialect d) {
        Tokens t = tokenize(statement, d);
        for (int k = 0; k < t.n; k++) {
            int st = t.start[k];
            int len = t.end[k] - st;
            boolean skipped = t.type[k] == LINE_COMMENT || t.type[k] == BLOCK_COMMENT
                    || t.type[k] == OP && len == 1 && statement.charAt(st) == '(';
            if (!skipped) {
                return t.type[k] == WORD && len == 5 && statement.regionMatches(true, st, "TABLE", 0, 5)
                        ? statement.substring(0, st) + "SELECT * FROM" + statement.substring(t.end[k]) : null;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------------------
    // split

    /**
     * Splits a multi-statement string on {@code ;} outside strings, quoted identifiers, dollar quotes and
     * comments. Empty statements are dropped, the rest trimmed.
     */
    public static List<String> split(String sql, Dialect d) {
        List<String> out = new ArrayList<>(2);
        int semicolon = sql.indexOf(';');
        if (semicolon < 0 || semicolon == lastNonWhitespace(sql)) {
            // one statement (with or without its ';'), the usual case: no scan for quotes and comments needed, as
            // a ';' that ends the text ends the statement even inside an unterminated quote or comment
            addStatement(out, sql, 0, semicolon < 0 ? sql.length() : semicolon, d);
            return out;
        }
        int[] type = new int[1];
        int len = sql.length();
        int from = 0;
        int i = 0;
        while (i < len) {
            char c = sql.charAt(i);
            if (c == ';') {
                addStatement(out, sql, from, i, d);
                from = i + 1;
                i++;
                continue;
            }
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            i = scan(sql, i, d, type);
        }
        addStatement(out, sql, from, len, d);
        return out;
    }

    private static int lastNonWhitespace(String s) {
        int i = s.length() - 1;
        while (i >= 0 && Character.isWhitespace(s.charAt(i))) {
            i--;
        }
        return i;
    }

    private static void addStatement(List<String> out, String sql, int from, int to, Dialect d) {
        String s = sql.substring(from, to).trim();
        if (s.isEmpty()) {
            return;
        }
        // a statement made of comments only is empty too; comments start with '-', '/' or '#', so a statement
        // that starts with anything else (s is trimmed) is not, and need not be tokenized here
        char first = s.charAt(0);
        if (first != '-' && first != '/' && first != '#' && !Character.isWhitespace(first)) {
            out.add(s);
            return;
        }
        Tokens t = tokenize(s, d);
        for (int k = 0; k < t.n; k++) {
            if (t.type[k] != LINE_COMMENT && t.type[k] != BLOCK_COMMENT) {
                out.add(s);
                return;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // lex

    /** Classifies one statement, reads its hints and, for DML, normalises it. */
    public static LexedStatement lex(String statement, Dialect d) {
        Lexing l = new Lexing(statement, d);
        return l.run();
    }

    private static final class Lexing {
        final String s;
        final Dialect d;
        final Tokens all;
        /** indexes into all of the non-comment tokens */
        final int[] sig;
        final int n;
        Map<String, String> hints = Map.of();

        Lexing(String s, Dialect d) {
            this.s = s;
            this.d = d;
            this.all = tokenize(s, d);
            int[] idx = new int[all.n];
            int k = 0;
            for (int i = 0; i < all.n; i++) {
                int t = all.type[i];
                if (t == LINE_COMMENT || t == BLOCK_COMMENT) {
                    readHint(i);
                } else {
                    idx[k++] = i;
                }
            }
            // a terminating semicolon is not part of the statement
            while (k > 0 && all.type[idx[k - 1]] == OP && all.end[idx[k - 1]] - all.start[idx[k - 1]] == 1
                    && s.charAt(all.start[idx[k - 1]]) == ';') {
                k--;
            }
            this.sig = idx;
            this.n = k;
        }

        int type(int k) {
            return all.type[sig[k]];
        }

        int start(int k) {
            return all.start[sig[k]];
        }

        int end(int k) {
            return all.end[sig[k]];
        }

        boolean is(int k, String word) {
            if (k < 0 || k >= n || type(k) != WORD) {
                return false;
            }
            int st = start(k);
            return end(k) - st == word.length() && s.regionMatches(true, st, word, 0, word.length());
        }

        boolean isOp(int k, String op) {
            if (k < 0 || k >= n || type(k) != OP) {
                return false;
            }
            return end(k) - start(k) == op.length() && s.startsWith(op, start(k));
        }

        String upper(int k) {
            return s.substring(start(k), end(k)).toUpperCase(Locale.ROOT);
        }

        void readHint(int i) {
            int st = all.start[i];
            int en = all.end[i];
            String body;
            if (all.type[i] == BLOCK_COMMENT) {
                body = s.substring(st + 2, Math.max(st + 2, en - (s.startsWith("*/", en - 2) ? 2 : 0)));
            } else {
                body = s.substring(st + (s.charAt(st) == '#' ? 1 : 2), en);
            }
            body = body.trim();
            if (!body.regionMatches(true, 0, "shardgate:", 0, 10)) {
                return;
            }
            if (hints.isEmpty()) {
                hints = new LinkedHashMap<>();
            }
            for (String part : body.substring(10).split("[\\s,]+")) {
                if (part.isEmpty()) {
                    continue;
                }
                int eq = part.indexOf('=');
                if (eq < 0) {
                    hints.put(part.toLowerCase(Locale.ROOT), "true");
                } else {
                    hints.put(part.substring(0, eq).toLowerCase(Locale.ROOT), part.substring(eq + 1));
                }
            }
        }

        LexedStatement run() {
            Map<String, String> h = hints.isEmpty() ? Map.of() : Collections.unmodifiableMap(hints);
            int first = 0;
            while (first < n && isOp(first, "(")) {
                first++;
            }
            if (n == 0 || first >= n) {
                return simple(StatementKind.EMPTY, "", h, false, null, List.of());
            }
            String kw = type(first) == WORD ? upper(first) : "";
            StatementKind kind;
            boolean readOnly = false;
            String inner = null;
            List<String> objects = List.of();
            switch (kw) {
                case "SELECT", "VALUES", "TABLE" -> kind = StatementKind.SELECT;
                case "INSERT", "REPLACE" -> kind = StatementKind.INSERT;
                case "UPDATE" -> kind = StatementKind.UPDATE;
                case "DELETE" -> kind = StatementKind.DELETE;
                case "WITH" -> kind = withKind(first);
                case "BEGIN", "START" -> {
                    kind = kw.equals("START") && !is(first + 1, "TRANSACTION") ? StatementKind.OTHER
                            : StatementKind.BEGIN;
                    readOnly = hasReadOnly(first);
                }
                case "COMMIT", "END" -> kind = StatementKind.COMMIT;
                case "ROLLBACK", "ABORT" -> kind = rollbackKind(first);
                case "SAVEPOINT" -> kind = StatementKind.SAVEPOINT;
                case "RELEASE" -> kind = StatementKind.RELEASE_SAVEPOINT;
                case "SET" -> kind = StatementKind.SET;
                case "SHOW" -> kind = StatementKind.SHOW;
                case "RESET" -> kind = StatementKind.RESET;
                case "DISCARD" -> kind = StatementKind.DISCARD;
                case "USE" -> kind = StatementKind.USE;
                case "COPY" -> {
                    kind = StatementKind.COPY;
                    objects = copyTables(first);
                }
                case "EXPLAIN", "DESC", "DESCRIBE" -> {
                    if (kw.equals("EXPLAIN") && is(first + 1, "ROUTE") && first + 2 < n) {
                        kind = StatementKind.EXPLAIN_ROUTE;
                        inner = s.substring(start(first + 2), end(n - 1));
                    } else {
                        kind = StatementKind.EXPLAIN;
                        inner = kw.equals("EXPLAIN") ? explainedStatement(first) : null;
                    }
                }
                default -> {
                    if (DDL_WORDS.contains(kw)) {
                        kind = StatementKind.DDL;
                        objects = ddlTables(first, kw);
                    } else {
                        kind = StatementKind.OTHER;
                        inner = innerStatement(first, kw);
                    }
                }
            }
            if (!kind.isDml()) {
                return simple(kind, kw, h, readOnly, inner, objects);
            }
            return new Normalizer(this, kind, kw, h).run();
        }

        LexedStatement simple(StatementKind kind, String kw, Map<String, String> h, boolean readOnly,
                              String inner, List<String> objects) {
            return new LexedStatement(s, kw, kind, h, null, List.of(), new int[0], null, countParams(), dollar(),
                    "", false, false, false, false, false, readOnly, inner, objects, d, null);
        }

        /**
         * The statement inside {@code DECLARE name ... CURSOR ... FOR query}, {@code PREPARE name [(types)] AS
         * statement} or MySQL's {@code PREPARE name FROM 'statement'}: the router may send the outer statement only
         * where the inner one would run. Null for other statements (PREPARE TRANSACTION, a MySQL PREPARE from a
         * variable).
         */
        String innerStatement(int first, String kw) {
            if (kw.equals("DECLARE")) {
                for (int k = first + 1; k < n; k++) {
                    if (is(k, "CURSOR")) {
                        for (int f = k + 1; f + 1 < n; f++) {
                            if (is(f, "FOR")) {
                                return s.substring(start(f + 1), end(n - 1));
                            }
                        }
                        return null;
                    }
                }
                return null;
            }
            if (!kw.equals("PREPARE")) {
                return null;
            }
            int k = first + 2; // after the statement's name
            if (isOp(k, "(")) {
                k = afterGroup(k);
            }
            if (is(k, "AS") && k + 1 < n) {
                return s.substring(start(k + 1), end(n - 1));
            }
            if (is(k, "FROM") && k + 2 == n && (type(k + 1) == STRING || type(k + 1) == ESTRING
                    || type(k + 1) == DOLLARSTR)) {
                return stringValue(s, type(k + 1), start(k + 1), end(k + 1), d);
            }
            return null;
        }

        /**
         * The statement {@code EXPLAIN [(options)] [ANALYZE] [VERBOSE] statement} explains: it runs (with ANALYZE) and
         * is planned where that statement would go. Null when no statement keyword follows the options.
         */
        String explainedStatement(int first) {
            int k = first + 1;
            if (isOp(k, "(")) {
                k = afterGroup(k);
            }
            for (; k < n; k++) {
                if (type(k) == WORD && EXPLAINABLE.contains(upper(k))) {
                    return s.substring(start(k), end(n - 1));
                }
            }
            return null;
        }

        /** The index just after the parenthesis that closes the one at {@code open}. */
        int afterGroup(int open) {
            int depth = 0;
            for (int k = open; k < n; k++) {
                if (isOp(k, "(")) {
                    depth++;
                } else if (isOp(k, ")") && --depth == 0) {
                    return k + 1;
                }
            }
            return n;
        }

        boolean dollar() {
            for (int k = 0; k < n; k++) {
                if (type(k) == DPARAM) {
                    return true;
                }
            }
            return false;
        }

        int countParams() {
            int max = 0;
            int q = 0;
            for (int k = 0; k < n; k++) {
                if (type(k) == DPARAM) {
                    max = Math.max(max, Integer.parseInt(s, start(k) + 1, end(k), 10));
                } else if (type(k) == QPARAM) {
                    q++;
                }
            }
            return max > 0 ? max : q;
        }

        /**
         * The kind of a WITH statement's main statement; OTHER when a CTE itself writes ({@code WITH x AS (INSERT
         * ... RETURNING id) SELECT ...}): shardgate does not plan a write hidden in a CTE (it would run on every
         * shard a read goes to), so it is forwarded only where the default shard alone holds its tables.
         */
        StatementKind withKind(int first) {
            int depth = 0;
            for (int k = first + 1; k < n; k++) {
                if (isOp(k, "(")) {
                    if (depth == 0 && k + 1 < n && (is(k + 1, "INSERT") || is(k + 1, "UPDATE") || is(k + 1, "DELETE")
                            || is(k + 1, "MERGE"))) {
                        return StatementKind.OTHER;
                    }
                    depth++;
                } else if (isOp(k, ")")) {
                    depth--;
                } else if (depth == 0 && type(k) == WORD) {
                    if (is(k, "SELECT") || is(k, "VALUES") || is(k, "TABLE")) {
                        return StatementKind.SELECT;
                    } else if (is(k, "INSERT")) {
                        return StatementKind.INSERT;
                    } else if (is(k, "UPDATE")) {
                        return StatementKind.UPDATE;
                    } else if (is(k, "DELETE")) {
                        return StatementKind.DELETE;
                    }
                }
            }
            return StatementKind.OTHER;
        }

        boolean hasReadOnly(int first) {
            for (int k = first + 1; k + 1 < n; k++) {
                if (is(k, "READ") && is(k + 1, "ONLY")) {
                    return true;
                }
            }
            return false;
        }

        StatementKind rollbackKind(int first) {
            int k = first + 1;
            if (is(k, "WORK") || is(k, "TRANSACTION")) {
                k++;
            }
            return is(k, "TO") ? StatementKind.ROLLBACK_TO_SAVEPOINT : StatementKind.ROLLBACK;
        }

        /** Reads a possibly qualified name at k; returns the last part, or null. next[0] gets the following index. */
        String name(int k, int[] next) {
            String last = null;
            while (k < n && (type(k) == WORD || type(k) == QIDENT)) {
                last = identifier(s, start(k), end(k), type(k) == QIDENT);
                k++;
                if (isOp(k, ".")) {
                    k++;
                } else {
                    break;
                }
            }
            next[0] = k;
            return last;
        }

        List<String> copyTables(int first) {
            int[] next = new int[1];
            if (isOp(first + 1, "(")) {
                return List.of();
            }
            String t = name(first + 1, next);
            return t == null ? List.of() : List.of(t);
        }

        List<String> ddlTables(int first, String kw) {
            int k = first + 1;
            int[] next = new int[1];
            List<String> out = new ArrayList<>(1);
            switch (kw) {
                case "CREATE" -> {
                    while (k < n && (is(k, "GLOBAL") || is(k, "LOCAL") || is(k, "TEMP") || is(k, "TEMPORARY")
                            || is(k, "UNLOGGED") || is(k, "UNIQUE") || is(k, "OR") || is(k, "REPLACE"))) {
                        k++;
                    }
                    if (is(k, "TABLE")) {
                        k = skipIfExists(k + 1, "NOT");
                        addName(out, k, next);
                    } else if (is(k, "INDEX")) {
                        for (int j = k + 1; j < n; j++) {
                            if (is(j, "ON")) {
                                j++;
                                if (is(j, "ONLY")) {
                                    j++;
                                }
                                addName(out, j, next);
                                break;
                            }
                        }
                    }
                }
                case "ALTER" -> {
                    if (is(k, "TABLE")) {
                        k = skipIfExists(k + 1, null);
                        if (is(k, "ONLY")) {
                            k++;
                        }
                        addName(out, k, next);
                    }
                }
                case "DROP" -> {
                    if (is(k, "TABLE")) {
                        k = skipIfExists(k + 1, null);
                        nameList(out, k, next);
                    }
                }
                case "TRUNCATE" -> {
                    if (is(k, "TABLE")) {
                        k++;
                    }
                    if (is(k, "ONLY")) {
                        k++;
                    }
                    nameList(out, k, next);
                }
                case "COMMENT" -> {
                    if (is(k, "ON") && is(k + 1, "TABLE")) {
                        addName(out, k + 2, next);
                    }
                }
                case "RENAME" -> {
                    if (is(k, "TABLE")) {
                        nameList(out, k + 1, next);
                    }
                }
                default -> {
                }
            }
            return List.copyOf(out);
        }

        int skipIfExists(int k, String not) {
            if (is(k, "IF")) {
                if (not != null && is(k + 1, not)) {
                    return k + 3;
                }
                return k + 2;
            }
            return k;
        }

        void addName(List<String> out, int k, int[] next) {
            String t = name(k, next);
            if (t != null) {
                out.add(t);
            }
        }

        void nameList(List<String> out, int k, int[] next) {
            while (k < n) {
                if (is(k, "ONLY")) {
                    k++;
                }
                String t = name(k, next);
                if (t == null) {
                    return;
                }
                out.add(t);
                k = next[0];
                if (isOp(k, "*")) {
                    k++;
                }
                if (is(k, "TO")) {
                    // MySQL RENAME TABLE a TO b, c TO d
                    k = k + 1;
                    t = name(k, next);
                    if (t != null) {
                        out.add(t);
                    }
                    k = next[0];
                }
                if (!isOp(k, ",")) {
                    return;
                }
                k++;
            }
        }
    }

    /** An identifier's name: quotes removed and kept as written if quoted, lower-cased otherwise. */
    static String identifier(String s, int start, int end, boolean quoted) {
        if (!quoted) {
            return s.substring(start, end).toLowerCase(Locale.ROOT);
        }
        char q = s.charAt(start);
        String inner = s.substring(start + 1, Math.max(start + 1, end - 1));
        String dq = String.valueOf(q);
        return inner.replace(dq + dq, dq);
    }

    // ------------------------------------------------------------------------------------------------------
    // normalisation

    /** Builds the normalised text, the offset map and the slots of one DML statement. */
    private static final class Normalizer {
        final Lexing x;
        final String s;
        final int n;
        final StatementKind kind;
        final String kw;
        final Map<String, String> hints;
        final StringBuilder out;
        int[] map;
        int mapLen;
        final List<LexedStatement.Slot> slots = new ArrayList<>(4);
        int[] slotOffsets = new int[8];
        int qCount;
        boolean dollar;
        boolean insertIgnore;
        boolean replace;
        String blocker;

        // primary tracking for :: casts
        int primStart = -1;
        int lastEmitted = -1;      // sig index of the last emitted token
        int lastWordStart = -1;    // normalised start of the last emitted word
        int[] parenStart = new int[16];
        int[] parenFunc = new int[16];
        int depth;

        Normalizer(Lexing x, StatementKind kind, String kw, Map<String, String> hints) {
            this.x = x;
            this.s = x.s;
            this.n = x.n;
            this.kind = kind;
            this.kw = kw;
            this.hints = hints;
            this.out = new StringBuilder(s.length());
            this.map = new int[s.length() + 8];
        }

        void append(CharSequence text, int origStart, boolean verbatim) {
            int len = text.length();
            ensureMap(mapLen + len + 1);
            for (int i = 0; i < len; i++) {
                map[mapLen++] = verbatim ? origStart + i : origStart;
            }
            out.append(text);
        }

        void appendOrig(int from, int to) {
            int len = to - from;
            ensureMap(mapLen + len + 1);
            for (int i = 0; i < len; i++) {
                map[mapLen++] = from + i;
            }
            out.append(s, from, to);
        }

        void ensureMap(int size) {
            if (size > map.length) {
                map = Arrays.copyOf(map, Math.max(size, map.length * 2));
            }
        }

        void insertAt(int pos, String text, int orig) {
            int len = text.length();
            ensureMap(mapLen + len + 1);
            System.arraycopy(map, pos, map, pos + len, mapLen - pos);
            for (int i = 0; i < len; i++) {
                map[pos + i] = orig;
            }
            mapLen += len;
            out.insert(pos, text);
            for (int i = 0; i < slots.size(); i++) {
                if (slotOffsets[i] >= pos) {
                    slotOffsets[i] += len;
                }
            }
        }

        void truncate(int pos) {
            out.setLength(pos);
            mapLen = pos;
        }

        void addSlot(LexedStatement.SlotKind k, int param, Object lit, int st, int en) {
            if (slots.size() == slotOffsets.length) {
                slotOffsets = Arrays.copyOf(slotOffsets, slotOffsets.length * 2);
            }
            slotOffsets[slots.size()] = out.length();
            slots.add(new LexedStatement.Slot(k, param, lit, st, en));
        }

        int findTail() {
            int dep = 0;
            for (int k = 0; k < n; k++) {
                if (x.isOp(k, "(")) {
                    dep++;
                } else if (x.isOp(k, ")")) {
                    dep--;
                } else if (dep == 0 && x.type(k) == WORD) {
                    if (x.is(k, "RETURNING")) {
                        return k;
                    }
                    if (x.is(k, "ON") && x.is(k + 1, "CONFLICT")) {
                        return k;
                    }
                    if (x.is(k, "ON") && x.is(k + 1, "DUPLICATE") && x.is(k + 2, "KEY")) {
                        return rowAliasBefore(k);
                    }
                    if (x.is(k, "FOR") && (x.is(k + 1, "UPDATE") || x.is(k + 1, "SHARE")
                            || (x.is(k + 1, "NO") && x.is(k + 2, "KEY")) || (x.is(k + 1, "KEY")
                            && x.is(k + 2, "SHARE")))) {
                        return k;
                    }
                    if (x.is(k, "LOCK") && x.is(k + 1, "IN") && x.is(k + 2, "SHARE")) {
                        return k;
                    }
                }
            }
            return n;
        }

        /** MySQL 8 {@code VALUES (...) AS new [(a, b)] ON DUPLICATE KEY UPDATE}: the row alias joins the tail. */
        int rowAliasBefore(int on) {
            int k = on - 1;
            if (x.isOp(k, ")")) {
                int d = 0;
                for (; k >= 0; k--) {
                    if (x.isOp(k, ")")) {
                        d++;
                    } else if (x.isOp(k, "(") && --d == 0) {
                        break;
                    }
                }
                k--;
            }
            if (k >= 1 && (x.type(k) == WORD || x.type(k) == QIDENT) && x.is(k - 1, "AS")) {
                return k - 1;
            }
            return on;
        }

        LexedStatement run() {
            int tailAt = findTail();
            boolean forUpdate = false;
            boolean returning = false;
            boolean upsert = false;
            int dep = 0;
            for (int k = tailAt; k < n; k++) {
                if (x.isOp(k, "(")) {
                    dep++;
                } else if (x.isOp(k, ")")) {
                    dep--;
                } else if (dep == 0) {
                    if (x.is(k, "RETURNING")) {
                        returning = true;
                    } else if (x.is(k, "ON") && (x.is(k + 1, "CONFLICT") || x.is(k + 1, "DUPLICATE"))) {
                        upsert = true;
                    } else if ((x.is(k, "FOR") && !x.is(k + 1, "EACH")) || (x.is(k, "LOCK") && x.is(k + 1, "IN"))) {
                        forUpdate = true;
                    }
                }
            }
            for (int k = 0; k < n; k++) {
                if (x.type(k) == DPARAM) {
                    dollar = true;
                    break;
                }
            }
            boolean ordinalCtx = false;
            int ordinalDepth = -1;
            boolean expectItem = false;
            int prevEnd = -1;
            for (int k = 0; k < tailAt; k++) {
                int t = x.type(k);
                int st = x.start(k);
                int en = x.end(k);
                if (k == 1 && kw.equals("INSERT") && (x.is(k, "IGNORE") || x.is(k, "LOW_PRIORITY")
                        || x.is(k, "DELAYED") || x.is(k, "HIGH_PRIORITY"))) {
                    insertIgnore |= x.is(k, "IGNORE");
                    continue;
                }
                if (k == 2 && kw.equals("INSERT") && x.is(k, "IGNORE")) {
                    insertIgnore = true;
                    continue;
                }
                if (prevEnd >= 0 && st > prevEnd) {
                    append(" ", prevEnd, false);
                }
                boolean wasExpect = expectItem;
                expectItem = false;
                int here = out.length();
                switch (t) {
                    case WORD -> {
                        if (k == 0 && kw.equals("REPLACE")) {
                            replace = true;
                            append("INSERT", st, false);
                            markWord(k, here);
                        } else if ((x.is(k, "TRUE") || x.is(k, "FALSE")) && !afterIs(k)) {
                            addSlot(LexedStatement.SlotKind.LITERAL, -1, x.is(k, "TRUE"), st, en);
                            append("?", st, false);
                            primStart = here;
                        } else {
                            appendOrig(st, en);
                            if (x.is(k, "BY") && (x.is(k - 1, "ORDER") || x.is(k - 1, "GROUP"))) {
                                ordinalCtx = true;
                                ordinalDepth = depth;
                                expectItem = true;
                            } else if (ordinalCtx && ORDINAL_CONTEXT_END.contains(x.upper(k))) {
                                ordinalCtx = false;
                            }
                            markWord(k, here);
                        }
                    }
                    case QIDENT -> {
                        appendOrig(st, en);
                        markWord(k, here);
                    }
                    case NUMBER -> {
                        if (wasExpect && !nextIsOperator(k)) {
                            appendOrig(st, en);
                            primStart = here;
                        } else if (unaryMinusBefore(k)) {
                            int minusPos = lastEmittedPos;
                            int minusOrig = x.start(k - 1);
                            truncate(minusPos);
                            addSlot(LexedStatement.SlotKind.LITERAL, -1, SqlLexer.negate(number(st, en)), minusOrig, en);
                            append("?", minusOrig, false);
                            primStart = minusPos;
                        } else {
                            addSlot(LexedStatement.SlotKind.LITERAL, -1, number(st, en), st, en);
                            append("?", st, false);
                            primStart = here;
                        }
                    }
                    case STRING, ESTRING, DOLLARSTR -> {
                        if (x.type(k - 1 < 0 ? 0 : k - 1) == WORD && k > 0 && TYPE_PREFIX.contains(x.upper(k - 1))) {
                            appendOrig(st, en);
                        } else {
                            addSlot(LexedStatement.SlotKind.LITERAL, -1, stringValue(t, st, en), st, en);
                            append("?", st, false);
                        }
                        primStart = here;
                    }
                    case DPARAM -> {
                        int p = Integer.parseInt(s, st + 1, en, 10) - 1;
                        addSlot(LexedStatement.SlotKind.PARAM, p, null, st, en);
                        append("?", st, false);
                        primStart = here;
                    }
                    case QPARAM -> {
                        if (dollar) {
                            blocker = "'?' operator together with $n parameters";
                            appendOrig(st, en);
                            primStart = -1;
                        } else {
                            addSlot(LexedStatement.SlotKind.PARAM, qCount++, null, st, en);
                            append("?", st, false);
                            primStart = here;
                        }
                    }
                    default -> {
                        if (x.isOp(k, "::") && primStart >= 0) {
                            k = cast(k, here);
                            prevEnd = x.end(k);
                            lastEmitted = k;
                            continue;
                        }
                        appendOrig(st, en);
                        if (x.isOp(k, "(")) {
                            pushParen(k, here);
                            primStart = -1;
                        } else if (x.isOp(k, ")")) {
                            primStart = popParen();
                            if (ordinalCtx && depth < ordinalDepth) {
                                ordinalCtx = false;
                            }
                        } else if (x.isOp(k, ".")) {
                            // keep primStart: an identifier chain continues
                        } else {
                            if (x.isOp(k, ",") && ordinalCtx && depth == ordinalDepth) {
                                expectItem = true;
                            }
                            primStart = -1;
                        }
                    }
                }
                lastEmittedPos = here;
                lastEmitted = k;
                prevEnd = en;
            }
            int origEnd = prevEnd < 0 ? 0 : prevEnd;
            ensureMap(mapLen + 1);
            map[mapLen++] = origEnd;
            String tail = tailAt < n ? s.substring(x.start(tailAt), x.end(n - 1)) : "";
            int[] offsets = Arrays.copyOf(slotOffsets, slots.size());
            int[] offsetMap = Arrays.copyOf(map, mapLen);
            return new LexedStatement(s, kw, kind, hints, out.toString(), List.copyOf(slots), offsets, offsetMap,
                    x.countParams(), dollar, tail, forUpdate, returning, upsert, insertIgnore, replace, false,
                    null, List.of(), x.d, blocker);
        }

        int lastEmittedPos = -1;

        boolean afterIs(int k) {
            return x.is(k - 1, "IS") || (x.is(k - 1, "NOT") && x.is(k - 2, "IS"));
        }

        boolean nextIsOperator(int k) {
            if (k + 1 >= n) {
                return false;
            }
            int t = x.type(k + 1);
            return t == OP && !x.isOp(k + 1, ",") && !x.isOp(k + 1, ")");
        }

        boolean unaryMinusBefore(int k) {
            if (k < 1 || !x.isOp(k - 1, "-") || lastEmitted != k - 1) {
                return false;
            }
            int p = k - 2;
            if (p < 0) {
                return true;
            }
            int t = x.type(p);
            if (t == OP) {
                return !x.isOp(p, ")") && !x.isOp(p, "]");
            }
            return t == WORD && UNARY_CONTEXT.contains(x.upper(p));
        }

        void markWord(int k, int here) {
            if (lastEmitted >= 0 && x.isOp(lastEmitted, ".") && primStart >= 0) {
                // identifier chain: primStart stays at the chain's start
            } else {
                primStart = here;
            }
            lastWordStart = here;
        }

        void pushParen(int k, int here) {
            if (depth == parenStart.length) {
                parenStart = Arrays.copyOf(parenStart, depth * 2);
                parenFunc = Arrays.copyOf(parenFunc, depth * 2);
            }
            int func = -1;
            if (lastEmitted == k - 1 && k > 0 && x.end(k - 1) == x.start(k)
                    && (x.type(k - 1) == WORD || x.type(k - 1) == QIDENT)
                    && !NOT_FUNCTION.contains(x.upper(k - 1))) {
                func = primStart >= 0 ? primStart : lastWordStart;
            }
            parenStart[depth] = here;
            parenFunc[depth] = func;
            depth++;
        }

        int popParen() {
            if (depth == 0) {
                return -1;
            }
            depth--;
            return parenFunc[depth] >= 0 ? parenFunc[depth] : parenStart[depth];
        }

        /**
         * Rewrites {@code expr::type} (the :: at k) as {@code CAST(expr AS type)}; returns the index of the type's
         * last token.
         */
        int cast(int k, int here) {
            int castStart = primStart;
            // drop a space emitted before ::
            if (here > 0 && out.charAt(here - 1) == ' ') {
                truncate(here - 1);
            }
            int origColon = x.start(k);
            insertAt(castStart, "CAST(", mapOrigAt(castStart));
            append(" AS ", origColon, false);
            int j = k + 1;
            int last = k;
            // name, possibly qualified, possibly multi-word
            boolean first = true;
            while (j < n && (x.type(j) == WORD || x.type(j) == QIDENT)) {
                if (!first) {
                    append(" ", x.end(last), false);
                }
                appendOrig(x.start(j), x.end(j));
                last = j;
                j++;
                first = false;
                if (x.isOp(j, ".") && j + 1 < n) {
                    appendOrig(x.start(j), x.end(j));
                    j++;
                    first = true;
                    continue;
                }
                if (x.isOp(j, "(")) {
                    int close = j;
                    int dd = 0;
                    for (; close < n; close++) {
                        if (x.isOp(close, "(")) {
                            dd++;
                        } else if (x.isOp(close, ")") && --dd == 0) {
                            break;
                        }
                    }
                    if (close >= n) {
                        break;
                    }
                    appendOrig(x.start(j), x.end(close));
                    last = close;
                    j = close + 1;
                }
                if (TYPE_CONTINUATION.contains(upperOrEmpty(j))) {
                    continue;
                }
                if ((x.is(j, "WITH") || x.is(j, "WITHOUT")) && x.is(j + 1, "TIME") && x.is(j + 2, "ZONE")) {
                    continue;
                }
                if ((x.is(j, "TIME") && x.is(j + 1, "ZONE")) || (x.is(j, "ZONE") && x.is(last, "TIME"))) {
                    continue;
                }
                if (x.is(last, "DOUBLE") && x.is(j, "PRECISION") || x.is(last, "CHARACTER") && x.is(j, "VARYING")) {
                    continue;
                }
                break;
            }
            while (x.isOp(j, "[") && x.isOp(j + 1, "]")) {
                appendOrig(x.start(j), x.end(j + 1));
                last = j + 1;
                j += 2;
            }
            append(")", x.end(last), false);
            primStart = castStart;
            return last;
        }

        String upperOrEmpty(int j) {
            return j < n && x.type(j) == WORD ? x.upper(j) : "";
        }

        int mapOrigAt(int pos) {
            return pos < mapLen ? map[pos] : (mapLen > 0 ? map[mapLen - 1] : 0);
        }

        Object number(int st, int en) {
            return numberValue(s, st, en);
        }

        String stringValue(int t, int st, int en) {
            return SqlLexer.stringValue(s, t, st, en, x.d);
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // literal values

    /** A number literal's value: Long when it fits, else BigInteger; BigDecimal with a point or an exponent. */
    static Object numberValue(String s, int st, int en) {
        boolean integral = true;
        for (int i = st; i < en; i++) {
            char c = s.charAt(i);
            if (c == '.' || c == 'e' || c == 'E') {
                integral = false;
                break;
            }
        }
        if (integral) {
            if (en - st < 19) {
                return Long.parseLong(s, st, en, 10);
            }
            BigInteger b = new BigInteger(s.substring(st, en));
            return b.bitLength() < 64 ? (Object) b.longValue() : b;
        }
        return new BigDecimal(s.substring(st, en));
    }

    /** {@code -v} for a value of {@link #numberValue}. */
    static Object negate(Object v) {
        if (v instanceof Long l) {
            return -l;
        }
        if (v instanceof BigInteger b) {
            BigInteger neg = b.negate();
            return neg.bitLength() < 64 ? (Object) neg.longValue() : neg;
        }
        return ((BigDecimal) v).negate();
    }

    /** A string literal's value (token type STRING, ESTRING or DOLLARSTR): quotes removed, escapes applied. */
    static String stringValue(String s, int t, int st, int en, Dialect d) {
        if (t == DOLLARSTR) {
            int tagEnd = s.indexOf('$', st + 1) + 1;
            int tagLen = tagEnd - st;
            return s.substring(tagEnd, Math.max(tagEnd, en - tagLen));
        }
        boolean backslash = t == ESTRING || d == Dialect.MYSQL;
        int from = t == ESTRING ? st + 2 : st + 1;
        char q = s.charAt(from - 1);
        int to = en - 1;
        int backslashAt = backslash ? s.indexOf('\\', from) : -1;
        if (s.indexOf(q, from) == to && (backslashAt < 0 || backslashAt >= to)) {
            return s.substring(from, Math.max(from, to)); // no doubled quote, no escape: nothing to unescape
        }
        StringBuilder b = new StringBuilder(Math.max(0, to - from));
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == q && i + 1 < to && s.charAt(i + 1) == q) {
                b.append(q);
                i++;
            } else if (backslash && c == '\\' && i + 1 < to) {
                char e = s.charAt(++i);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case '0' -> b.append('\0');
                    case 'Z' -> b.append((char) 26);
                    default -> b.append(e);
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
