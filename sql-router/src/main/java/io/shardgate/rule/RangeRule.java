package io.shardgate.rule;

import io.shardgate.config.RangeKeys;
import io.shardgate.config.RuleConfig;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Ordered, disjoint key ranges per shard: [from, to), validated gap- and overlap-free by the config loader. */
public final class RangeRule implements ShardRule {
    private final String name;
    private final List<RuleConfig.KeyRange> ranges;
    private final RuleConfig.KeyType keyType;
    private final List<String> shards;

    public RangeRule(RuleConfig.Range config) {
        this.name = config.name();
        this.ranges = config.ranges();
        this.keyType = config.keyType();
        this.shards = config.shards();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> shards() {
        return shards;
    }

    public RuleConfig.KeyType keyType() {
        return keyType;
    }

    @Override
    public String shardFor(Object key) {
        ShardRule.checkNotNull(key, name);
        Object k = toKey(key);
        for (RuleConfig.KeyRange r : ranges) {
            if ((r.from() == null || RangeKeys.compare(r.from(), k) <= 0)
                    && (r.to() == null || RangeKeys.compare(k, r.to()) < 0)) {
                return r.shard();
            }
        }
        throw new RoutingException(RoutingException.INVALID_VALUE, "rule '" + name + "': key " + key
                + " is outside every configured range (" + describeRanges() + "); add a range that covers it");
    }

    @Override
    public Set<String> shardsForRange(Object from, boolean fromInclusive, Object to, boolean toInclusive) {
        Object lo = from == null ? null : toKey(from);
        Object hi = to == null ? null : toKey(to);
        Set<String> out = new LinkedHashSet<>();
        for (RuleConfig.KeyRange r : ranges) {
            // the range [r.from, r.to) intersects the query interval unless it lies wholly below or above it
            boolean below = lo != null && r.to() != null && RangeKeys.compare(r.to(), lo) <= 0;
            boolean above = hi != null && r.from() != null
                    && (toInclusive ? RangeKeys.compare(r.from(), hi) > 0 : RangeKeys.compare(r.from(), hi) >= 0);
            if (!below && !above) {
                out.add(r.shard());
            }
        }
        return out;
    }

    private Object toKey(Object value) {
        try {
            return RangeKeys.toKey(value, keyType);
        } catch (IllegalArgumentException e) {
            throw new RoutingException(RoutingException.INVALID_VALUE, "rule '" + name + "': " + e.getMessage()
                    + "; its ranges are of type " + keyType.name().toLowerCase());
        }
    }

    private String describeRanges() {
        StringBuilder sb = new StringBuilder();
        for (RuleConfig.KeyRange r : ranges) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append('[').append(r.from() == null ? "-inf" : r.from()).append(", ")
                    .append(r.to() == null ? "+inf" : r.to()).append(")->").append(r.shard());
        }
        return sb.toString();
    }
}
