package io.shardgate.rule;

import java.util.List;
import java.util.Set;

/** Maps shard-key values to shards. One instance per configured rule; shared by every table that uses it. */
public sealed interface ShardRule permits HashRule, RangeRule, DirectoryRule {
    String name();

    /** Every shard this rule can place rows on, in configuration order. */
    List<String> shards();

    /** The shard holding rows whose key equals {@code key}. */
    String shardFor(Object key);

    /**
     * The shards that may hold keys in the given range (null bound = unbounded). Only a range rule can narrow
     * this; hash and directory rules answer with every shard.
     */
    Set<String> shardsForRange(Object from, boolean fromInclusive, Object to, boolean toInclusive);

    /**
     * The shard a new key is placed on when its first row is inserted. Equal to {@link #shardFor} except for a
     * directory rule, which records a placement for a key it has not seen.
     */
    default String placeNew(Object key) {
        return shardFor(key);
    }

    static void checkNotNull(Object key, String rule) {
        if (key == null) {
            throw new RoutingException(RoutingException.INVALID_VALUE,
                    "rule '" + rule + "' cannot place a NULL shard key; give the key column a value");
        }
    }
}
