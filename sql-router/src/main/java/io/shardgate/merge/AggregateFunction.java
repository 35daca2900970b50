package io.shardgate.merge;

public enum AggregateFunction { COUNT, SUM, MIN, MAX, AVG }
