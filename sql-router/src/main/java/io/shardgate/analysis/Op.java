package io.shardgate.analysis;

/**
 * Comparison operators the router can evaluate against shard rules ({@code NE} only appears in HAVING). {@code ANY}
 * is {@code column = ANY(array)} with one value, the array (a parameter or a literal such as {@code '{1,2}'}).
 */
public enum Op {
    EQ, NE, IN, LT, LE, GT, GE, BETWEEN, ANY;

    /** The operator with its operands swapped ({@code ? < col} is {@code col > ?}). */
    public Op flip() {
        return switch (this) {
            case LT -> GT;
            case LE -> GE;
            case GT -> LT;
            case GE -> LE;
            default -> this;
        };
    }
}
