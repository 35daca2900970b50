package io.shardgate.analysis;

import io.shardgate.config.Dialect;
import java.util.List;
import java.util.Map;

/**
 * The cheap, per-execution result of {@link SqlLexer#lex}: classification, hints, and for DML the normalised text
 * (the analysis cache key) with the slots that carry this execution's literal values and parameter positions.
 */
public final class LexedStatement {

    /** Whether a slot stands for a user parameter or for a literal lifted out of the text. */
    public enum SlotKind { PARAM, LITERAL }

    /**
     * One {@code ?} of the normalised text.
     *
     * @param paramIndex 0-based user parameter index for PARAM ($3 -> 2; the k-th JDBC ? -> k-1), else -1
     * @param literal    for LITERAL: Long (or BigInteger), BigDecimal, String (unescaped) or Boolean
     * @param start      span in the original text
     */
    public record Slot(SlotKind kind, int paramIndex, Object literal, int start, int end) {
    }

    private final String original;
    private final String firstKeyword;
    private final StatementKind kind;
    private final Map<String, String> hints;
    private final String normalized;
    private final List<Slot> slots;
    final int[] slotOffsets;
    private final int[] offsetMap;
    private final int parameterCount;
    private final boolean dollarParameters;
    private final String tail;
    private final boolean forUpdate;
    private final boolean returning;
    private final boolean upsert;
    private final boolean insertIgnore;
    private final boolean replace;
    private final boolean readOnlyTransaction;
    private final String explainedSql;
    private final List<String> objectTables;
    private final Dialect dialect;
    /** Non-null when the normalised text is known to be ambiguous for Calcite (e.g. a '?' operator with $n). */
    final String calciteBlocker;

    LexedStatement(String original, String firstKeyword, StatementKind kind, Map<String, String> hints,
                   String normalized, List<Slot> slots, int[] slotOffsets, int[] offsetMap, int parameterCount,
                   boolean dollarParameters, String tail, boolean forUpdate, boolean returning, boolean upsert,
                   boolean insertIgnore, boolean replace, boolean readOnlyTransaction, String explainedSql,
                   List<String> objectTables, Dialect dialect, String calciteBlocker) {
        this.original = original;
        this.firstKeyword = firstKeyword;
        this.kind = kind;
        this.hints = hints;
        this.normalized = normalized;
        this.slots = slots;
        this.slotOffsets = slotOffsets;
        this.offsetMap = offsetMap;
        this.parameterCount = parameterCount;
        this.dollarParameters = dollarParameters;
        this.tail = tail;
        this.forUpdate = forUpdate;
        this.returning = returning;
        this.upsert = upsert;
        this.insertIgnore = insertIgnore;
        this.replace = replace;
        this.readOnlyTransaction = readOnlyTransaction;
        this.explainedSql = explainedSql;
        this.objectTables = objectTables;
        this.dialect = dialect;
        this.calciteBlocker = calciteBlocker;
    }

    public String original() { return original; }

    /** Upper-cased first keyword, "" for an empty statement. */
    public String firstKeyword() { return firstKeyword; }

    public StatementKind kind() { return kind; }

    /** Hints from {@code shardgate:} comments; keys lower-cased, bare words map to "true". */
    public Map<String, String> hints() { return hints; }

    /** Normalised text for DML, null otherwise. */
    public String normalized() { return normalized; }

    public List<Slot> slots() { return slots; }

    /** Number of user parameters: the highest $n, or the number of JDBC '?'. */
    public int parameterCount() { return parameterCount; }

    public boolean dollarParameters() { return dollarParameters; }

    /** Original text of the cut tail (RETURNING, ON CONFLICT, FOR UPDATE, ...), or "". */
    public String tail() { return tail; }

    public boolean forUpdate() { return forUpdate; }

    public boolean returning() { return returning; }

    public boolean upsert() { return upsert; }

    public boolean insertIgnore() { return insertIgnore; }

    public boolean replace() { return replace; }

    /** For BEGIN / START TRANSACTION: true when it says READ ONLY. */
    public boolean readOnlyTransaction() { return readOnlyTransaction; }

    /** For EXPLAIN ROUTE: the statement being explained, else null. */
    public String explainedSql() { return explainedSql; }

    /** For DDL and COPY: the tables named, lower-cased unless quoted, schema dropped. */
    public List<String> objectTables() { return objectTables; }

    public Dialect dialect() { return dialect; }

    /** Offset in the original text of the tail, or original().length() when there is none. */
    public int tailStart() {
        return original.length() - tail.length();
    }

    /**
     * Maps an offset of {@link #normalized()} to the original text; exact at token boundaries (a token start maps
     * to the token start, the offset just after a token maps to just after it).
     */
    public int toOriginalOffset(int normalizedOffset) {
        if (offsetMap == null) {
            throw new IllegalStateException("no normalised text for a " + kind + " statement");
        }
        if (normalizedOffset < 0 || normalizedOffset >= offsetMap.length) {
            throw new IndexOutOfBoundsException("normalised offset " + normalizedOffset + " outside [0, "
                    + (offsetMap.length - 1) + "]");
        }
        return offsetMap[normalizedOffset];
    }

    /** Offset in the normalised text of the {@code ?} of slot {@code slotIndex}. */
    public int slotNormalizedOffset(int slotIndex) {
        return slotOffsets[slotIndex];
    }

    @Override
    public String toString() {
        return kind + (normalized != null ? " " + normalized : " " + original);
    }
}
