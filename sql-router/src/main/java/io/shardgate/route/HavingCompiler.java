package io.shardgate.route;

import io.shardgate.analysis.SelectShape;
import io.shardgate.analysis.Having;
import io.shardgate.analysis.Op;
import io.shardgate.analysis.StatementInfo;
import io.shardgate.merge.AggregateColumn;
import io.shardgate.merge.AggregateFunction;
import io.shardgate.merge.RowFilter;
import io.shardgate.merge.ValueComparator;

import java.util.List;

/**
 * Turns the HAVING of a grouped cross-shard SELECT into a filter on merged groups: a HAVING evaluated on each shard
 * would judge partial groups. Aggregates the select list does not compute become hidden columns.
 */
final class HavingCompiler {
    private final SelectMergePlanner planner;
    private final ValueResolver values;
    private final List<AggregateColumn> aggregates;

    HavingCompiler(SelectMergePlanner planner, ValueResolver values, List<AggregateColumn> aggregates) {
        this.planner = planner;
        this.values = values;
        this.aggregates = aggregates;
    }

    RowFilter compile(Having having) {
        if (having instanceof Having.HAnd and) {
            List<RowFilter> parts = and.parts().stream().map(this::compile).toList();
            return row -> {
                for (RowFilter f : parts) {
                    if (!f.test(row)) {
                        return false;
                    }
                }
                return true;
            };
        }
        if (having instanceof Having.HOr or) {
            List<RowFilter> parts = or.parts().stream().map(this::compile).toList();
            return row -> {
                for (RowFilter f : parts) {
                    if (f.test(row)) {
                        return true;
                    }
                }
                return false;
            };
        }
        if (having instanceof Having.HNot not) {
            RowFilter inner = compile(not.part());
            return row -> !inner.test(row);
        }
        Having.HCompare c = (Having.HCompare) having;
        Operand left = operand(c.left());
        Operand right = operand(c.right());
        Op op = c.op();
        return row -> {
            Object a = left.get(row);
            Object b = right.get(row);
            if (a == null || b == null) {
                return false; // SQL: a comparison with NULL is unknown, and HAVING keeps only true
            }
            int cmp;
            try {
                cmp = ValueComparator.compareNonNull(a, b, -1);
            } catch (java.sql.SQLException e) {
                throw new IllegalArgumentException("HAVING compares values that cannot be compared: " + e.getMessage(), e);
            }
            return switch (op) {
                case EQ -> cmp == 0;
                case NE -> cmp != 0;
                case LT -> cmp < 0;
                case LE -> cmp <= 0;
                case GT -> cmp > 0;
                case GE -> cmp >= 0;
                default -> throw new IllegalStateException("[BUG] HAVING operator " + op);
            };
        };
    }

    private interface Operand {
        Object get(Object[] row);
    }

    private Operand operand(Having.HOperand o) {
        if (o instanceof Having.HColumn col) {
            int i = col.itemIndex();
            return row -> row[i];
        }
        if (o instanceof Having.HValue v) {
            Object value = values.value(v.value());
            return row -> value;
        }
        Having.HAggregate agg = (Having.HAggregate) o;
        if (agg.itemIndex() >= 0) {
            int i = agg.itemIndex();
            return row -> row[i];
        }
        planner.valueFree(agg.argumentText(), "HAVING");
        if (agg.fn() == SelectShape.Aggregate.AVG) {
            int sum = planner.addHidden("SUM(" + agg.argumentText() + ")");
            int count = planner.addHidden("COUNT(" + agg.argumentText() + ")");
            aggregates.add(new AggregateColumn(sum, AggregateFunction.AVG, count));
            return row -> row[sum];
        }
        int column = planner.addHidden(agg.fn().name() + "(" + agg.argumentText() + ")");
        aggregates.add(new AggregateColumn(column, AggregateFunction.valueOf(agg.fn().name()), -1));
        return row -> row[column];
    }
}
