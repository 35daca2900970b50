package io.shardgate.route;

import io.shardgate.analysis.ValueRef;
import io.shardgate.analysis.LexedStatement;
import io.shardgate.analysis.StatementInfo;

import java.util.List;

/**
 * Binds the cached, value-free analysis to this execution: a slot is either a literal the lexer lifted out of the
 * text or one of the caller's parameters.
 */
final class ValueResolver {
    /** Marks a value that is not known before execution (an expression, DEFAULT, a function call). */
    static final Object UNKNOWN = new Object() {
        @Override
        public String toString() {
            return "<expression>";
        }
    };

    private final LexedStatement lexed;
    private final List<Object> params;

    ValueResolver(LexedStatement lexed, List<Object> params) {
        this.lexed = lexed;
        this.params = params;
    }

    Object value(ValueRef ref) {
        if (ref instanceof ValueRef.Slot s) {
            LexedStatement.Slot slot = lexed.slots().get(s.index());
            if (slot.kind() == LexedStatement.SlotKind.PARAM) {
                return slot.paramIndex() < params.size() ? params.get(slot.paramIndex()) : UNKNOWN;
            }
            return slot.literal();
        }
        if (ref instanceof ValueRef.Const c) {
            return c.value();
        }
        return UNKNOWN;
    }

    /** A LIMIT or OFFSET value as a count; null when absent. */
    Long count(ValueRef ref, String clause) {
        if (ref == null) {
            return null;
        }
        Object v = value(ref);
        if (v == null) {
            return null;
        }
        try {
            long n = v instanceof Number num ? num.longValue() : Long.parseLong(v.toString().trim());
            if (n < 0) {
                throw new io.shardgate.rule.RoutingException("2201W", clause + " must not be negative, got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new io.shardgate.rule.RoutingException("22023", clause + " value '" + v + "' is not a number");
        }
    }
}
