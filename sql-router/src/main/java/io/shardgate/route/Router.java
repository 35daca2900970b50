package io.shardgate.route;

import io.shardgate.config.ShardgateConfig;
import io.shardgate.rule.DirectoryStore;
import io.shardgate.rule.RoutingException;
import io.shardgate.topology.Topology;

import java.util.List;
import java.util.Map;

/**
 * Turns one SQL statement (text, parameters, session) into a {@link RoutePlan}. Thread-safe; one instance per
 * driver instance or proxy, so its read-your-writes tracker spans every connection.
 */
public final class Router {
    private final ShardgateConfig config;
    private final Topology topology;
    private final WriteTracker writeTracker;

    public Router(ShardgateConfig config, Topology topology, Map<String, DirectoryStore> directories) {
        this.config = config;
        this.topology = topology;
        this.writeTracker = new WriteTracker(config.readWrite().readYourWrites());
    }

    public ShardgateConfig config() {
        return config;
    }

    public Topology topology() {
        return topology;
    }

    public WriteTracker writeTracker() {
        return writeTracker;
    }

    /**
     * Plans one statement (no {@code ;}-separated lists: use {@link #split}).
     *
     * @param params the caller's parameter values in order ({@code ?} or {@code $n}), empty for plain text
     * @throws RoutingException when the statement cannot be routed correctly; the message says why and what to do
     */
    public RoutePlan route(String sql, List<Object> params, SessionState session) {
        throw new RoutingException("router not wired yet");
    }

    /** Splits a multi-statement string the way the router will see each statement. */
    public List<String> split(String sql) {
        throw new RoutingException("router not wired yet");
    }

    /** Executors call this after a write succeeded, so that the read-your-writes window starts from its end. */
    public void recordWrites(RoutePlan plan) {
        for (String t : plan.writtenTables()) {
            writeTracker.recordWrite(t);
        }
    }
}
