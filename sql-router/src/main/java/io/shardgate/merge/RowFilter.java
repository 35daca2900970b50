package io.shardgate.merge;

/**
 * HAVING, evaluated on the merged group row: all columns, hidden ones included, after aggregates were
 * recombined (so AVG columns already hold the average).
 */
@FunctionalInterface
public interface RowFilter {
  boolean test(Object[] mergedRow);
}
