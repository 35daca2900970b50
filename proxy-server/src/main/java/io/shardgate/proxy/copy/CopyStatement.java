package io.shardgate.proxy.copy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of {@code COPY table [(columns)] FROM STDIN | TO STDOUT [options]} the proxy needs to split or gather
 * rows across shards. {@code COPY (query) TO STDOUT} and files are not handled here (null).
 */
public record CopyStatement(String table, List<String> columns, boolean in, boolean csv, char delimiter,
                            boolean header, boolean binary) {
    private static final Pattern COPY = Pattern.compile(
            "(?is)^\\s*copy\\s+((?:\"[^\"]+\"|[a-z_][\\w$]*)(?:\\.(?:\"[^\"]+\"|[a-z_][\\w$]*))?)\\s*(?:\\(([^)]*)\\))?"
                    + "\\s+(from\\s+stdin|to\\s+stdout)\\b(.*)$");
    private static final Pattern DELIMITER = Pattern.compile("(?i)\\bdelimiter\\s+(?:as\\s+)?E?'(\\\\t|.)'");
    private static final Pattern BINARY = Pattern.compile("(?i)\\bbinary\\b");
    private static final Pattern HEADER = Pattern.compile("(?i)\\bheader\\b(?!\\s+(?:false|off|0)\\b)");

    public static CopyStatement parse(String sql) {
        Matcher m = COPY.matcher(sql.trim());
        if (!m.matches()) {
            return null;
        }
        String table = name(m.group(1));
        List<String> columns = new ArrayList<>();
        if (m.group(2) != null) {
            for (String c : m.group(2).split(",")) {
                columns.add(name(c.trim()));
            }
        }
        String options = m.group(4) == null ? "" : m.group(4);
        boolean csv = options.toLowerCase(Locale.ROOT).matches("(?s).*\\bcsv\\b.*");
        char delimiter = csv ? ',' : '\t';
        Matcher d = DELIMITER.matcher(options);
        if (d.find()) {
            delimiter = d.group(1).equals("\\t") ? '\t' : d.group(1).charAt(0);
        }
        return new CopyStatement(table, columns, m.group(3).toLowerCase(Locale.ROOT).startsWith("from"), csv,
                delimiter, csv && HEADER.matcher(options).find(), BINARY.matcher(options).find());
    }

    /** The table name without schema, unquoted; unquoted names fold to lower case. */
    private static String name(String qualified) {
        String last;
        if (qualified.endsWith("\"")) {
            last = qualified.substring(qualified.lastIndexOf('"', qualified.length() - 2));
        } else {
            last = qualified.substring(qualified.lastIndexOf('.') + 1);
        }
        return last.startsWith("\"") ? last.substring(1, last.length() - 1) : last.toLowerCase(Locale.ROOT);
    }
}
