package io.shardgate.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Splices the original statement text: a list of replacements of [start, end) ranges of the original text, applied
 * together. Rewrites work on the original so that what reaches the shard keeps the user's quoting, literals and
 * comments, which Calcite's unparse would not.
 */
final class SqlEdits {
    private record Edit(int start, int end, String text, int order) {
    }

    private final String original;
    private final List<Edit> edits = new ArrayList<>();

    SqlEdits(String original) {
        this.original = original;
    }

    SqlEdits replace(int start, int end, String text) {
        if (start < 0 || end < start || end > original.length()) {
            throw new IllegalArgumentException("edit [" + start + ", " + end + ") outside the statement");
        }
        edits.add(new Edit(start, end, text, edits.size()));
        return this;
    }

    SqlEdits insert(int at, String text) {
        return replace(at, at, text);
    }

    boolean isEmpty() {
        return edits.isEmpty();
    }

    String apply() {
        if (edits.isEmpty()) {
            return original;
        }
        List<Edit> sorted = new ArrayList<>(edits);
        sorted.sort(Comparator.comparingInt(Edit::start).thenComparingInt(Edit::order));
        StringBuilder sb = new StringBuilder(original.length() + 32);
        int pos = 0;
        for (Edit e : sorted) {
            if (e.start() < pos) {
                throw new IllegalStateException("overlapping rewrites at offset " + e.start());
            }
            sb.append(original, pos, e.start()).append(e.text());
            pos = e.end();
        }
        sb.append(original, pos, original.length());
        return sb.toString();
    }

    /** The kept ranges of the original: what a parameter at a given original offset survives in. */
    boolean keeps(int offset) {
        for (Edit e : edits) {
            if (offset >= e.start() && offset < e.end()) {
                return false;
            }
        }
        return true;
    }
}
