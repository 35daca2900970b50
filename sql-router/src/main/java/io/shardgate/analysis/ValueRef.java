package io.shardgate.analysis;

/**
 * A value in a cached analysis. It never holds a bound parameter or a parameterised literal: those are referred
 * to by slot index, so one {@link StatementInfo} serves every execution of the same normalised text.
 */
public sealed interface ValueRef permits ValueRef.Slot, ValueRef.Const, ValueRef.Expr {

    /** The value of {@code LexedStatement.slots().get(index)}: a user parameter or a literal. */
    record Slot(int index) implements ValueRef {
        @Override
        public String toString() {
            return "$slot" + index;
        }
    }

    /** A literal kept verbatim in the normalised text (NULL, an ordinal, {@code DATE '...'}). */
    record Const(Object value) implements ValueRef {
        @Override
        public String toString() {
            return String.valueOf(value);
        }
    }

    /** Anything the router cannot evaluate: a function call, DEFAULT, arithmetic. */
    record Expr(String text) implements ValueRef {
        @Override
        public String toString() {
            return "expr(" + text + ")";
        }
    }
}
