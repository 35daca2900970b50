package io.shardgate.merge;

public record SortKey(int column, boolean descending, boolean nullsFirst) {
}
