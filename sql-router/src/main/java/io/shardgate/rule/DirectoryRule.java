package io.shardgate.rule;

import io.shardgate.config.RuleConfig;

import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Directory sharding: each key's shard is whatever the directory table says. A key the directory does not know has
 * no rows yet, so a statement that only reads or changes it goes to the rule's first shard (and finds nothing);
 * an INSERT places it by the configured policy and records the placement before the row is written.
 */
public final class DirectoryRule implements ShardRule {
    private final RuleConfig.Directory config;
    private final DirectoryStore store;
    private final AtomicLong roundRobin = new AtomicLong();

    public DirectoryRule(RuleConfig.Directory config, DirectoryStore store) {
        this.config = config;
        this.store = store;
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public List<String> shards() {
        return config.shards();
    }

    @Override
    public String shardFor(Object key) {
        ShardRule.checkNotNull(key, config.name());
        return store.lookup(canonical(key)).orElse(config.shards().get(0));
    }

    @Override
    public String placeNew(Object key) {
        ShardRule.checkNotNull(key, config.name());
        String k = canonical(key);
        return store.lookup(k).orElseGet(() -> store.placeIfAbsent(k, choose(key)));
    }

    @Override
    public Set<String> shardsForRange(Object from, boolean fromInclusive, Object to, boolean toInclusive) {
        return new LinkedHashSet<>(config.shards());
    }

    private String choose(Object key) {
        List<String> shards = config.shards();
        return switch (config.placement()) {
            case FIRST -> shards.get(0);
            case HASH -> shards.get((int) Long.remainderUnsigned(ShardHash.token(key), shards.size()));
            case ROUND_ROBIN -> shards.get((int) (roundRobin.getAndIncrement() % shards.size()));
        };
    }

    /** The text a key is stored under: integers in plain decimal whatever their Java type, everything else as text. */
    static String canonical(Object key) {
        if (key instanceof BigDecimal d) {
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        }
        return key.toString();
    }
}
