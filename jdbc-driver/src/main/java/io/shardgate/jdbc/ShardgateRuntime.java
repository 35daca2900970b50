package io.shardgate.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.shardgate.config.ConfigException;
import io.shardgate.config.ConfigLoader;
import io.shardgate.config.DatabaseConfig;
import io.shardgate.config.PoolConfig;
import io.shardgate.config.RuleConfig;
import io.shardgate.config.ShardgateConfig;
import io.shardgate.rule.DirectoryStore;
import io.shardgate.rule.JdbcDirectoryStore;
import io.shardgate.rule.RoutingException;
import io.shardgate.route.Router;
import io.shardgate.topology.HealthProber;
import io.shardgate.topology.JdbcPools;
import io.shardgate.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything one configuration file needs at run time, shared by every connection of its URL: the validated
 * config, the {@link Router} (whose read-your-writes tracker therefore spans all connections), the live
 * {@link Topology}, the background {@link HealthProber}, and one HikariCP pool per physical database, created on
 * first use and named {@code shardgate-<database>}.
 */
public final class ShardgateRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShardgateRuntime.class);

    private final ShardgateUrl url;
    private final ShardgateConfig config;
    private final Topology topology;
    private final Router router;
    private final HealthProber prober;
    private final ConcurrentHashMap<String, HikariDataSource> pools = new ConcurrentHashMap<>();
    /** Position of each database in the configuration: the fixed order in which transactions commit. */
    private final Map<String, Integer> commitOrder;
    private volatile boolean closed;

    private ShardgateRuntime(ShardgateUrl url, ShardgateConfig config) {
        this.url = url;
        this.config = config;
        this.topology = new Topology(config);
        Map<String, Integer> order = new HashMap<>();
        for (String db : config.databases().keySet()) {
            order.put(db, order.size());
        }
        this.commitOrder = Collections.unmodifiableMap(order);
        Map<String, DirectoryStore> directories = new LinkedHashMap<>();
        try {
            for (RuleConfig rule : config.rules().values()) {
                if (rule instanceof RuleConfig.Directory d) {
                    JdbcDirectoryStore store = new JdbcDirectoryStore(dataSource(d.database()),
                            config.database(d.database()).dialect(), d.table(), d.name(), d.cacheSize(), d.cacheTtl());
                    store.createTableIfAbsent();
                    directories.put(d.name(), store);
                }
            }
        } catch (RuntimeException e) {
            close(); // the pools opened so far
            throw e;
        }
        this.router = new Router(config, topology, directories);
        boolean anyReplica = config.shards().values().stream().anyMatch(s -> !s.replicas().isEmpty());
        this.prober = anyReplica ? new HealthProber(config, topology, this::dataSource) : null;
        if (prober != null) {
            prober.start();
        }
    }

    /**
     * Loads the configuration and starts the runtime. Configuration problems come back as one SQLException
     * (SQLState 08001) listing all of them; a directory table that cannot be created as the SQLState of its cause.
     */
    static ShardgateRuntime start(ShardgateUrl url) throws SQLException {
        ShardgateConfig config;
        try {
            config = ConfigLoader.load(url.configPath());
        } catch (ConfigException e) {
            throw new SQLException(e.getMessage(), "08001", e);
        }
        try {
            return new ShardgateRuntime(url, config);
        } catch (RoutingException e) {
            throw new SQLException("shardgate " + url.configPath() + ": " + e.getMessage(), e.sqlState(), e);
        }
    }

    public ShardgateUrl url() {
        return url;
    }

    public ShardgateConfig config() {
        return config;
    }

    public Topology topology() {
        return topology;
    }

    public Router router() {
        return router;
    }

    int commitOrder(String database) {
        Integer i = commitOrder.get(database);
        return i == null ? Integer.MAX_VALUE : i;
    }

    /** The pool of one physical database, created (not yet connected) on first use. */
    public HikariDataSource dataSource(String database) {
        HikariDataSource ds = pools.get(database);
        if (ds != null) {
            return ds;
        }
        if (closed) {
            throw new IllegalStateException("shardgate runtime for " + url.configPath() + " is shut down");
        }
        return pools.computeIfAbsent(database, this::newPool);
    }

    private HikariDataSource newPool(String database) {
        DatabaseConfig db = config.database(database);
        if (db == null) {
            throw new IllegalArgumentException("unknown database '" + database + "' (declared: "
                    + config.databases().keySet() + ")");
        }
        PoolConfig pool = db.pool() != null ? db.pool() : config.pool();
        return JdbcPools.lazy(db, "shardgate-" + database, pool);
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (prober != null) {
            prober.close();
        }
        for (HikariDataSource ds : pools.values()) {
            try {
                ds.close();
            } catch (RuntimeException e) {
                LOG.warn("closing pool {} failed: {}", ds.getPoolName(), e.toString());
            }
        }
        pools.clear();
    }
}
