package io.shardgate.topology;

import io.shardgate.config.Dialect;
import io.shardgate.config.ShardConfig;
import io.shardgate.config.ShardgateConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Probes every replica in the background (never on the query path): is it up, and how far behind its primary
 * is it. PostgreSQL: {@code now() - pg_last_xact_replay_timestamp()}, counted as zero when the replica has replayed
 * everything it received (an idle primary produces no new transactions, so the timestamp alone would grow forever).
 * MySQL/MariaDB: {@code Seconds_Behind_Master} of SHOW SLAVE STATUS. A failed probe marks the replica down; the next
 * successful one brings it back.
 */
public final class HealthProber implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthProber.class);
    private static final String PG_LAG = "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
            + "ELSE COALESCE((EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) * 1000)::bigint, 0) END";

    private final ShardgateConfig config;
    private final Topology topology;
    private final Function<String, DataSource> dataSources;
    private final ScheduledExecutorService scheduler;

    public HealthProber(ShardgateConfig config, Topology topology, Function<String, DataSource> dataSources) {
        this.config = config;
        this.topology = topology;
        this.dataSources = dataSources;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shardgate-health");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        long interval = Math.max(50, config.readWrite().healthCheckInterval().toMillis());
        scheduler.scheduleWithFixedDelay(this::probeAll, 0, interval, TimeUnit.MILLISECONDS);
    }

    /** One round over every replica; public so that tests and the admin console can force a fresh reading. */
    public void probeAll() {
        for (ShardConfig shard : config.shards().values()) {
            for (String replica : shard.replicas()) {
                probe(replica);
            }
        }
    }

    private void probe(String database) {
        Topology.DatabaseState state = topology.state(database);
        Dialect dialect = config.database(database).dialect();
        try (Connection c = dataSources.apply(database).getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(5);
            long lag = 0;
            if (dialect == Dialect.POSTGRESQL) {
                try (ResultSet rs = s.executeQuery(PG_LAG)) {
                    lag = rs.next() ? rs.getLong(1) : 0;
                }
            } else {
                try (ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
                    if (rs.next()) {
                        long behind = rs.getLong("Seconds_Behind_Master");
                        lag = rs.wasNull() ? Long.MAX_VALUE : behind * 1000;
                    }
                }
            }
            boolean wasDown = !state.up();
            state.markUp(lag);
            if (wasDown) {
                LOG.info("replica {} is back (lag {} ms)", database, lag);
            }
        } catch (SQLException | RuntimeException e) {
            if (state.up()) {
                LOG.warn("replica {} is down, reads go elsewhere: {}", database, e.getMessage());
            }
            state.markDown(e.getMessage());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
