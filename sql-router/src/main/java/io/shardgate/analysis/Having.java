package io.shardgate.analysis;

import java.util.List;

/**
 * A HAVING condition in a form the merger can re-evaluate on merged groups: comparisons between aggregates,
 * selected columns and values, combined with AND/OR/NOT.
 */
public sealed interface Having permits Having.HAnd, Having.HOr, Having.HNot, Having.HCompare {

    record HAnd(List<Having> parts) implements Having {
        public HAnd {
            parts = List.copyOf(parts);
        }
    }

    record HOr(List<Having> parts) implements Having {
        public HOr {
            parts = List.copyOf(parts);
        }
    }

    record HNot(Having part) implements Having {
    }

    /** {@code left op right}; op is one of EQ, NE, LT, LE, GT, GE. */
    record HCompare(HOperand left, Op op, HOperand right) implements Having {
    }

    /** One side of a HAVING comparison. */
    sealed interface HOperand permits HAggregate, HColumn, HValue {
    }

    /**
     * An aggregate; {@code itemIndex} is the select item computing exactly this aggregate, or -1 when the
     * router must add it as a hidden column.
     */
    record HAggregate(SelectShape.Aggregate fn, String argumentText, int itemIndex) implements HOperand {
    }

    /** A selected (grouped) column, by select item index. */
    record HColumn(int itemIndex) implements HOperand {
    }

    record HValue(ValueRef value) implements HOperand {
    }
}
