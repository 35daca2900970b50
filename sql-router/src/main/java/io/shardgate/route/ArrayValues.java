package io.shardgate.route;

import java.sql.Array;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The elements of the array in {@code key = ANY($1)}, whichever way the client sent it: PostgreSQL's text form
 * ({@code {1,2,"a b",NULL}}, as node-postgres and pgjdbc send arrays), a {@link java.sql.Array}, a Java array or a
 * collection. Nested arrays are flattened: routing needs only the set of keys.
 */
final class ArrayValues {

    private ArrayValues() {
    }

    /** The elements, or null when the value is not an array this class can read (the router then assumes any key). */
    static List<Object> elements(Object value) {
        List<Object> out = new ArrayList<>();
        return collect(value, out) ? out : null;
    }

    private static boolean collect(Object value, List<Object> out) {
        if (value == null) {
            return true;
        }
        if (value instanceof Array array) {
            try {
                return collect(array.getArray(), out);
            } catch (SQLException e) {
                return false;
            }
        }
        if (value instanceof Object[] objects) {
            for (Object o : objects) {
                if (o instanceof Object[] || o instanceof Collection<?>) {
                    if (!collect(o, out)) {
                        return false;
                    }
                } else {
                    out.add(o);
                }
            }
            return true;
        }
        if (value instanceof long[] longs) {
            for (long l : longs) {
                out.add(l);
            }
            return true;
        }
        if (value instanceof int[] ints) {
            for (int i : ints) {
                out.add((long) i);
            }
            return true;
        }
        if (value instanceof Collection<?> collection) {
            return collect(collection.toArray(), out);
        }
        if (value instanceof CharSequence text) {
            return parseText(text.toString(), out);
        }
        return false;
    }

    /**
     * PostgreSQL's array input syntax: braces, comma-separated elements, double quotes with backslash escapes, NULL
     * for a null element; an optional dimension prefix ({@code [1:3]=}) is skipped.
     */
    static boolean parseText(String text, List<Object> out) {
        String s = text.strip();
        if (s.startsWith("[")) {
            int eq = s.indexOf('=');
            if (eq < 0) {
                return false;
            }
            s = s.substring(eq + 1).strip();
        }
        if (!s.startsWith("{") || !s.endsWith("}")) {
            return false;
        }
        int depth = 0;
        int i = 0;
        StringBuilder element = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '{') {
                depth++;
                i++;
            } else if (c == '}' || c == ',') {
                if (any) {
                    out.add(quoted ? element.toString() : unquoted(element));
                }
                element.setLength(0);
                quoted = false;
                any = false;
                if (c == '}') {
                    depth--;
                }
                i++;
            } else if (c == '"') {
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < s.length()) {
                        i++;
                    }
                    element.append(s.charAt(i));
                    i++;
                }
                if (i >= s.length()) {
                    return false;
                }
                quoted = true;
                any = true;
                i++;
            } else if (Character.isWhitespace(c) && !any) {
                i++;
            } else {
                if (c == '\\' && i + 1 < s.length()) {
                    i++;
                }
                element.append(s.charAt(i));
                any = true;
                i++;
            }
        }
        return depth == 0;
    }

    private static Object unquoted(StringBuilder element) {
        String e = element.toString().strip();
        return e.equalsIgnoreCase("NULL") ? null : e;
    }
}
