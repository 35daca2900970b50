package io.shardgate.topology;

import io.shardgate.config.ReadWriteConfig;
import io.shardgate.config.ShardConfig;
import io.shardgate.config.ShardgateConfig;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live state of every physical database (up or down, replication lag, statements in flight), written by the
 * background {@link HealthProber} and by executors, read by the router on every statement to pick a replica.
 * Reads on the routing path are lock-free map lookups.
 */
public final class Topology {
    private final ShardgateConfig config;
    private final Map<String, DatabaseState> states = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> roundRobin = new ConcurrentHashMap<>();

    public Topology(ShardgateConfig config) {
        this.config = config;
        for (String db : config.databases().keySet()) {
            states.put(db, new DatabaseState(db));
        }
        for (String shard : config.shards().keySet()) {
            roundRobin.put(shard, new AtomicLong());
        }
    }

    public DatabaseState state(String database) {
        return states.get(database);
    }

    public Map<String, DatabaseState> states() {
        return states;
    }

    /**
     * A usable replica of {@code shard} chosen by the configured balancer, or null when none is up and within the
     * lag bound (the caller then uses the primary).
     */
    public String pickReplica(String shard) {
        ShardConfig s = config.shard(shard);
        List<String> replicas = s.replicas();
        int n = replicas.size();
        if (n == 0) {
            return null;
        }
        long maxLagMillis = config.readWrite().maxReplicaLag().toMillis();
        ReadWriteConfig.Balancer balancer = config.readWrite().balancer();
        switch (balancer) {
            case LEAST_CONNECTIONS -> {
                String best = null;
                int bestActive = Integer.MAX_VALUE;
                for (String r : replicas) {
                    DatabaseState st = states.get(r);
                    if (st.usable(maxLagMillis) && st.active() < bestActive) {
                        best = r;
                        bestActive = st.active();
                    }
                }
                return best;
            }
            case WEIGHTED -> {
                List<Integer> weights = s.weights();
                int total = 0;
                for (int i = 0; i < n; i++) {
                    if (states.get(replicas.get(i)).usable(maxLagMillis)) {
                        total += weights.isEmpty() ? 1 : weights.get(i);
                    }
                }
                if (total == 0) {
                    return null;
                }
                int pick = ThreadLocalRandom.current().nextInt(total);
                for (int i = 0; i < n; i++) {
                    if (states.get(replicas.get(i)).usable(maxLagMillis)) {
                        pick -= weights.isEmpty() ? 1 : weights.get(i);
                        if (pick < 0) {
                            return replicas.get(i);
                        }
                    }
                }
                return null;
            }
            default -> {
                long start = balancer == ReadWriteConfig.Balancer.RANDOM ? ThreadLocalRandom.current().nextInt(n)
                        : roundRobin.get(shard).getAndIncrement();
                for (int i = 0; i < n; i++) {
                    String r = replicas.get((int) ((start + i) % n));
                    if (states.get(r).usable(maxLagMillis)) {
                        return r;
                    }
                }
                return null;
            }
        }
    }

    /** Mutable, thread-safe health facts of one database. */
    public static final class DatabaseState {
        private final String name;
        private volatile boolean up = true;
        private volatile long lagMillis;
        private volatile String lastError;
        private volatile long checkedAtMillis;
        private final AtomicInteger active = new AtomicInteger();

        DatabaseState(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        public boolean up() {
            return up;
        }

        public long lagMillis() {
            return lagMillis;
        }

        public String lastError() {
            return lastError;
        }

        public long checkedAtMillis() {
            return checkedAtMillis;
        }

        public int active() {
            return active.get();
        }

        public void markUp(long lagMillis) {
            this.lagMillis = lagMillis;
            this.up = true;
            this.lastError = null;
            this.checkedAtMillis = System.currentTimeMillis();
        }

        public void markDown(String error) {
            this.up = false;
            this.lastError = error;
            this.checkedAtMillis = System.currentTimeMillis();
        }

        public void acquired() {
            active.incrementAndGet();
        }

        public void released() {
            active.decrementAndGet();
        }

        boolean usable(long maxLagMillis) {
            return up && lagMillis <= maxLagMillis;
        }
    }
}
