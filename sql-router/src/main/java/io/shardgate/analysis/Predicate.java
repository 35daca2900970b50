package io.shardgate.analysis;

import java.util.List;

/**
 * The conditions of a statement in the only shapes routing can use; everything else is {@link Unknown}, which
 * the router must treat as "could be any row".
 */
public sealed interface Predicate
        permits Predicate.And, Predicate.Or, Predicate.Comparison, Predicate.RowIn, Predicate.ColumnEquality,
        Predicate.Unknown {

    /** No condition at all. */
    Predicate TRUE = new And(List.of());

    /** All of the parts hold. */
    record And(List<Predicate> parts) implements Predicate {
        public And {
            parts = List.copyOf(parts);
        }

        @Override
        public String toString() {
            return parts.isEmpty() ? "TRUE" : "AND" + parts;
        }
    }

    /** At least one of the parts holds. */
    record Or(List<Predicate> parts) implements Predicate {
        public Or {
            parts = List.copyOf(parts);
        }

        @Override
        public String toString() {
            return "OR" + parts;
        }
    }

    /**
     * {@code column op values}; the column is always on the left. EQ/LT/LE/GT/GE have one value, BETWEEN two
     * (low, high), IN one or more.
     */
    record Comparison(ColumnRef column, Op op, List<ValueRef> values) implements Predicate {
        public Comparison {
            values = List.copyOf(values);
        }

        @Override
        public String toString() {
            return column + " " + op + " " + values;
        }
    }

    /** {@code (a, b) IN ((?, ?), ...)} or {@code (a, b) = (?, ?)}: composite keys as ORMs write them. */
    record RowIn(List<ColumnRef> columns, List<List<ValueRef>> rows) implements Predicate {
        public RowIn {
            columns = List.copyOf(columns);
            rows = rows.stream().map(List::copyOf).toList();
        }

        @Override
        public String toString() {
            return columns + " IN " + rows;
        }
    }

    /** {@code a.x = b.y}: a join condition, which tells the router whether co-located tables stay together. */
    record ColumnEquality(ColumnRef left, ColumnRef right) implements Predicate {
        @Override
        public String toString() {
            return left + " = " + right;
        }
    }

    /** A condition the analysis cannot use (NOT, functions, subqueries, ...). */
    enum Unknown implements Predicate {
        INSTANCE;

        @Override
        public String toString() {
            return "UNKNOWN";
        }
    }
}
