package io.shardgate.rule;

import io.shardgate.config.RuleConfig;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Hash sharding over explicit token ranges: a key's {@link ShardHash#token} falls in exactly one range, and the
 * range names the shard. Ranges rather than {@code hash % n} let resharding split or move a range and copy only
 * its rows.
 */
public final class HashRule implements ShardRule {
    private final String name;
    private final List<String> shards;
    /** Range starts, ascending; {@code owners[i]} owns [starts[i], starts[i+1]). */
    private final long[] starts;
    private final String[] owners;

    public HashRule(RuleConfig.Hash config) {
        this.name = config.name();
        this.shards = config.shards();
        List<RuleConfig.TokenRange> ranges = config.ranges();
        this.starts = new long[ranges.size()];
        this.owners = new String[ranges.size()];
        for (int i = 0; i < ranges.size(); i++) {
            starts[i] = ranges.get(i).from();
            owners[i] = ranges.get(i).shard();
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> shards() {
        return shards;
    }

    @Override
    public String shardFor(Object key) {
        ShardRule.checkNotNull(key, name);
        return ownerOf(ShardHash.token(key));
    }

    /** The shard that owns {@code token}. */
    public String ownerOf(long token) {
        int lo = 0;
        int hi = starts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= token) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return owners[lo];
    }

    @Override
    public Set<String> shardsForRange(Object from, boolean fromInclusive, Object to, boolean toInclusive) {
        return new LinkedHashSet<>(shards);
    }
}
