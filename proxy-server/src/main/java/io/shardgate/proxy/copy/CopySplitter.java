package io.shardgate.proxy.copy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * Cuts a COPY FROM STDIN stream (text or CSV format) into whole rows, whatever the CopyData chunking, and reads the
 * value of one column of each row: enough to send every row to the shard of its key. Rows pass through as the
 * exact bytes received. In CSV, quoted fields may hold delimiters, quotes ("") and newlines.
 */
public final class CopySplitter {
    private final boolean csv;
    private final byte delimiter;
    private final byte quote;
    private final int keyColumn;
    private boolean skipHeader;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean inQuotes;
    private byte[] header;

    public CopySplitter(boolean csv, char delimiter, boolean header, int keyColumn) {
        this.csv = csv;
        this.delimiter = (byte) delimiter;
        this.quote = '"';
        this.skipHeader = header;
        this.keyColumn = keyColumn;
    }

    /** The CSV header line, once read (to send to every shard, which expects one). */
    public byte[] header() {
        return header;
    }

    /**
     * Feeds a chunk; {@code row} receives each completed row (with its newline) and its key field (null for SQL
     * NULL, {@code \N} in text format or an unquoted empty field in CSV). The end-of-data marker {@code \.} is dropped.
     */
    public void feed(byte[] chunk, BiConsumer<byte[], String> row) {
        for (byte b : chunk) {
            pending.write(b);
            if (csv && b == quote) {
                inQuotes = !inQuotes;
            } else if (b == '\n' && !inQuotes) {
                byte[] line = pending.toByteArray();
                pending.reset();
                emit(line, row);
            }
        }
    }

    /** At CopyDone: a last row without a newline. */
    public void finish(BiConsumer<byte[], String> row) {
        if (pending.size() > 0) {
            byte[] line = pending.toByteArray();
            pending.reset();
            emit(line, row);
        }
    }

    private void emit(byte[] line, BiConsumer<byte[], String> row) {
        String text = new String(line, StandardCharsets.UTF_8);
        String stripped = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        if (stripped.equals("\\.")) {
            return;
        }
        if (skipHeader) {
            skipHeader = false;
            header = line;
            return;
        }
        row.accept(line, csv ? csvField(stripped) : textField(stripped));
    }

    private String textField(String line) {
        int col = 0;
        int start = 0;
        for (int i = 0; i <= line.length(); i++) {
            if (i == line.length() || line.charAt(i) == delimiter) {
                if (col == keyColumn) {
                    String raw = line.substring(start, i);
                    return raw.equals("\\N") ? null : unescape(raw);
                }
                col++;
                start = i + 1;
            } else if (line.charAt(i) == '\\') {
                i++; // an escaped character (possibly the delimiter) belongs to the field
            }
        }
        return null;
    }

    private static String unescape(String raw) {
        if (raw.indexOf('\\') < 0) {
            return raw;
        }
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                char n = raw.charAt(++i);
                sb.append(switch (n) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    default -> n;
                });
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private String csvField(String line) {
        int col = 0;
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i <= line.length(); i++) {
            char c = i < line.length() ? line.charAt(i) : (char) delimiter;
            boolean end = i == line.length();
            if (quoted && !end) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"' && !end) {
                quoted = true;
                wasQuoted = true;
            } else if (c == delimiter || end) {
                if (col == keyColumn) {
                    return field.length() == 0 && !wasQuoted ? null : field.toString();
                }
                col++;
                field.setLength(0);
                wasQuoted = false;
            } else {
                field.append(c);
            }
        }
        return null;
    }
}
