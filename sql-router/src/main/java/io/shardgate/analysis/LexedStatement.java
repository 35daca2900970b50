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
    private final String innerStatement;
    private final List<String> objectTables;
    private final Dialect dialect;
    /** Non-null when the normalised text is known to be ambiguous for Calcite (e.g. a '?' operator with $n). */
    final String calciteBlocker;
    /**
     * For a statement bound from a {@link Template}: {@link #offsetMap} is the template's, and an original offset
     * {@code p} of the template moves by the sum of {@code shiftBy[j]} over the literals with {@code shiftAt[j] <= p}
     * (each literal's end in the template and how much longer it is here). Null otherwise.
     */
    private final int[] shiftAt;
    private final int[] shiftBy;

    LexedStatement(String original, String firstKeyword, StatementKind kind, Map<String, String> hints,
                   String normalized, List<Slot> slots, int[] slotOffsets, int[] offsetMap, int parameterCount,
                   boolean dollarParameters, String tail, boolean forUpdate, boolean returning, boolean upsert,
                   boolean insertIgnore, boolean replace, boolean readOnlyTransaction, String innerStatement,
                   List<String> objectTables, Dialect dialect, String calciteBlocker) {
        this(original, firstKeyword, kind, hints, normalized, slots, slotOffsets, offsetMap, parameterCount,
                dollarParameters, tail, forUpdate, returning, upsert, insertIgnore, replace, readOnlyTransaction,
                innerStatement, objectTables, dialect, calciteBlocker, null, null);
    }

    private LexedStatement(String original, String firstKeyword, StatementKind kind, Map<String, String> hints,
                           String normalized, List<Slot> slots, int[] slotOffsets, int[] offsetMap,
                           int parameterCount, boolean dollarParameters, String tail, boolean forUpdate,
                           boolean returning, boolean upsert, boolean insertIgnore, boolean replace,
                           boolean readOnlyTransaction, String innerStatement, List<String> objectTables,
                           Dialect dialect, String calciteBlocker, int[] shiftAt, int[] shiftBy) {
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
        this.innerStatement = innerStatement;
        this.objectTables = objectTables;
        this.dialect = dialect;
        this.calciteBlocker = calciteBlocker;
        this.shiftAt = shiftAt;
        this.shiftBy = shiftBy;
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

    /**
     * The statement inside this one, else null: for EXPLAIN ROUTE the statement explained, for {@code DECLARE ...
     * CURSOR FOR} its query, for {@code PREPARE ... AS} (MySQL: {@code FROM '...'}) the statement prepared.
     */
    public String innerStatement() { return innerStatement; }

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
        int p = offsetMap[normalizedOffset];
        return shiftAt == null ? p : shift(p, shiftAt, shiftBy);
    }

    private static int shift(int p, int[] shiftAt, int[] shiftBy) {
        int shifted = p;
        for (int j = 0; j < shiftAt.length; j++) {
            if (shiftAt[j] <= p) {
                shifted += shiftBy[j];
            }
        }
        return shifted;
    }

    /** Offset in the normalised text of the {@code ?} of slot {@code slotIndex}. */
    public int slotNormalizedOffset(int slotIndex) {
        return slotOffsets[slotIndex];
    }

    /**
     * This statement as the template of every text of its literal shape ({@code shape}: the shape of its own text),
     * or null when it cannot be one: when a literal stayed in the normalised text (an ORDER BY ordinal,
     * {@code DATE '...'}, one in the tail), its value is part of the statement's meaning, so texts that differ there
     * must be lexed on their own.
     */
    public Template template(SqlLexer.LiteralShape shape) {
        if (normalized == null || shiftAt != null) {
            return null;
        }
        int[] literalOfSlot = new int[slots.size()];
        int[] signLength = new int[slots.size()];
        int k = 0;
        for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
            literalOfSlot[i] = -1;
            if (slot.kind() == SlotKind.LITERAL && !(slot.literal() instanceof Boolean)) {
                if (k == shape.count || slot.end() != shape.end[k] || slot.start() > shape.start[k]
                        || slot.start() < shape.start[k] && !isSign(slot.start(), shape.start[k])) {
                    return null;
                }
                signLength[i] = shape.start[k] - slot.start();
                literalOfSlot[i] = k++;
            }
        }
        return k == shape.count ? new Template(this, shape, literalOfSlot, signLength) : null;
    }

    /** Whether the text from {@code from} to {@code to} is a minus sign the lexer merged into the number after it. */
    private boolean isSign(int from, int to) {
        return original.charAt(from) == '-' && original.substring(from + 1, to).isBlank();
    }

    /** A lexed statement that stands for every text of its literal shape: see {@link #template}. */
    public static final class Template {
        private final LexedStatement statement;
        private final SqlLexer.LiteralShape shape;
        /** For each slot, the index of the literal that fills it, or -1 (a parameter, TRUE or FALSE). */
        private final int[] literalOfSlot;
        /** For each slot, the length of the minus sign (and blanks) before its number, else 0. */
        private final int[] signLength;

        private Template(LexedStatement statement, SqlLexer.LiteralShape shape, int[] literalOfSlot,
                         int[] signLength) {
            this.statement = statement;
            this.shape = shape;
            this.literalOfSlot = literalOfSlot;
            this.signLength = signLength;
        }

        /**
         * What {@link SqlLexer#lex} gives for {@code text}, whose literal shape is {@code shape} (with the same key as
         * this template's), without lexing it: the template's analysis with this text's literal values and offsets.
         */
        public LexedStatement bind(String text, SqlLexer.LiteralShape shape) {
            assert shape.equals(this.shape) : "not a text of this template's shape: " + text;
            LexedStatement t = statement;
            int[] shiftAt = new int[shape.count];
            int[] shiftBy = new int[shape.count];
            boolean shifted = false;
            for (int j = 0; j < shape.count; j++) {
                shiftAt[j] = this.shape.end[j];
                shiftBy[j] = (shape.end[j] - shape.start[j]) - (this.shape.end[j] - this.shape.start[j]);
                shifted |= shiftBy[j] != 0;
            }
            Slot[] slots = new Slot[t.slots.size()];
            for (int i = 0; i < slots.length; i++) {
                Slot old = t.slots.get(i);
                int j = literalOfSlot[i];
                if (j >= 0) {
                    int st = shape.start[j];
                    int en = shape.end[j];
                    Object value;
                    if (shape.type[j] != SqlLexer.NUMBER) {
                        value = SqlLexer.stringValue(text, shape.type[j], st, en, t.dialect);
                    } else if (signLength[i] > 0) {
                        value = SqlLexer.negate(SqlLexer.numberValue(text, st, en));
                    } else {
                        value = SqlLexer.numberValue(text, st, en);
                    }
                    slots[i] = new Slot(SlotKind.LITERAL, -1, value, st - signLength[i], en);
                } else {
                    slots[i] = new Slot(old.kind(), old.paramIndex(), old.literal(),
                            shift(old.start(), shiftAt, shiftBy), shift(old.end(), shiftAt, shiftBy));
                }
            }
            return new LexedStatement(text, t.firstKeyword, t.kind, t.hints, t.normalized, List.of(slots),
                    t.slotOffsets, t.offsetMap, t.parameterCount, t.dollarParameters, t.tail, t.forUpdate,
                    t.returning, t.upsert, t.insertIgnore, t.replace, t.readOnlyTransaction, t.innerStatement,
                    t.objectTables, t.dialect, t.calciteBlocker, shifted ? shiftAt : null, shifted ? shiftBy : null);
        }
    }

    @Override
    public String toString() {
        return kind + (normalized != null ? " " + normalized : " " + original);
    }
}
