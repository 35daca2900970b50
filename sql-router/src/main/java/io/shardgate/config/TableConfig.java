package io.shardgate.config;

/**
 * How one table is placed: sharded by {@code rule} on column {@code key}, a {@code reference} table copied to every
 * shard, or pinned to one {@code shard}. {@code generatedKey} names a column shardgate fills with a
 * cluster-unique 64-bit id when an INSERT omits it.
 */
public record TableConfig(String name, String rule, String key, boolean reference, String shard, String generatedKey) {
    public boolean sharded() {
        return rule != null;
    }
}
