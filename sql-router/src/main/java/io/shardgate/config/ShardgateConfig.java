package io.shardgate.config;

import java.util.Map;

/**
 * The whole configuration, validated and immutable. Maps keep declaration order. Built only by
 * {@link ConfigLoader}, which reports every problem at once rather than starting on a half-valid file.
 */
public record ShardgateConfig(String source, Map<String, DatabaseConfig> databases, Map<String, ShardConfig> shards,
                              Map<String, RuleConfig> rules, Map<String, TableConfig> tables, String defaultShard,
                              ReadWriteConfig readWrite, PoolConfig pool, boolean allowScatterWrites,
                              int analysisCacheSize, Dialect dialect, ProxyConfig proxy) {

    /** Without a {@code proxy:} section ({@link ProxyConfig#DEFAULT}). */
    public ShardgateConfig(String source, Map<String, DatabaseConfig> databases, Map<String, ShardConfig> shards,
                           Map<String, RuleConfig> rules, Map<String, TableConfig> tables, String defaultShard,
                           ReadWriteConfig readWrite, PoolConfig pool, boolean allowScatterWrites,
                           int analysisCacheSize, Dialect dialect) {
        this(source, databases, shards, rules, tables, defaultShard, readWrite, pool, allowScatterWrites,
                analysisCacheSize, dialect, ProxyConfig.DEFAULT);
    }

    public TableConfig table(String name) {
        return tables.get(name);
    }

    public ShardConfig shard(String name) {
        return shards.get(name);
    }

    public DatabaseConfig database(String name) {
        return databases.get(name);
    }
}
