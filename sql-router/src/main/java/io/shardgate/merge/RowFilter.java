package io.shardgate.merge;

@FunctionalInterface
public interface RowFilter {
    boolean test(Object[] mergedRow);
}
