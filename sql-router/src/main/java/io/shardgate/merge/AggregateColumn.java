package io.shardgate.merge;

public record AggregateColumn(int column, AggregateFunction function, int countColumn) {
}
