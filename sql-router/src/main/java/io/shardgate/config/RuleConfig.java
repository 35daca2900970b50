package io.shardgate.config;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;

/** A shard rule as configured. The router turns each into a {@code ShardRule}. */
public sealed interface RuleConfig {
    String name();

    /** The shards the rule can place rows on, in declaration order. */
    List<String> shards();

    /** Shards own contiguous ranges of the 64-bit token space: [from, to) as signed longs, to == null means the end. */
    record Hash(String name, List<String> shards, List<TokenRange> ranges) implements RuleConfig {
    }

    record TokenRange(long from, BigInteger toExclusive, String shard) {
    }

    /** Ordered, non-overlapping key ranges; from is inclusive, to exclusive, null means unbounded. */
    record Range(String name, List<KeyRange> ranges, KeyType keyType) implements RuleConfig {
        @Override
        public List<String> shards() {
            return ranges.stream().map(KeyRange::shard).distinct().toList();
        }
    }

    record KeyRange(Object from, Object to, String shard) {
    }

    enum KeyType { INTEGER, DECIMAL, TEXT, DATE, TIMESTAMP }

    /** Keys looked up in a table of a real database; new keys are placed by {@code placement}. */
    record Directory(String name, List<String> shards, String database, String table, Placement placement,
                     int cacheSize, Duration cacheTtl) implements RuleConfig {
    }

    enum Placement {
        ROUND_ROBIN("round-robin"), HASH("hash"), FIRST("first");

        private final String configName;

        Placement(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }
    }
}
