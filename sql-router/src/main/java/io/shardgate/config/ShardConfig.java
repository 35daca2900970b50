package io.shardgate.config;

import java.util.List;

/** A shard: one primary database and its read replicas, by database name; weights align with replicas. */
public record ShardConfig(String name, String primary, List<String> replicas, List<Integer> weights) {
}
