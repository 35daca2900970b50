package io.shardgate.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The drop-in {@link Driver}: an application changes its JDBC URL to {@code jdbc:shardgate:<path to YAML config>}
 * (see {@link ShardgateUrl}) and nothing else. One {@link ShardgateRuntime} per configuration file is started on
 * the first connect and shared by every later connection to it; a JVM shutdown hook closes them all.
 * {@code user}/{@code password} properties are ignored: each physical database's credentials are in the config.
 */
public final class ShardgateDriver implements Driver {
    public static final int MAJOR_VERSION = 0;
    public static final int MINOR_VERSION = 1;

    private static final ShardgateDriver INSTANCE = new ShardgateDriver();
    private static final ConcurrentHashMap<Path, ShardgateRuntime> RUNTIMES = new ConcurrentHashMap<>();
    private static final Object START_LOCK = new Object();

    static {
        try {
            DriverManager.registerDriver(INSTANCE);
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
        Thread hook = new Thread(ShardgateDriver::shutdownAll, "shardgate-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!ShardgateUrl.accepts(url)) {
            return null; // DriverManager asks every driver; not ours
        }
        ShardgateUrl parsed = ShardgateUrl.parse(url);
        return new ShardgateConnection(runtime(parsed), url);
    }

    /** The runtime of a configuration file, started on first use (outside the lock-free fast path). */
    static ShardgateRuntime runtime(ShardgateUrl url) throws SQLException {
        ShardgateRuntime rt = RUNTIMES.get(url.configPath());
        if (rt != null) {
            return rt;
        }
        synchronized (START_LOCK) {
            rt = RUNTIMES.get(url.configPath());
            if (rt == null) {
                rt = ShardgateRuntime.start(url);
                RUNTIMES.put(url.configPath(), rt);
            }
            return rt;
        }
    }

    /**
     * Closes the runtime of one configuration file (its pools and health prober); the next connect starts a fresh
     * one, re-reading the file. For tests and for applications that reload their configuration.
     *
     * @param configPath the path as written after {@code jdbc:shardgate:}, or a whole shardgate URL
     */
    public static void shutdown(String configPath) throws SQLException {
        String url = ShardgateUrl.accepts(configPath) ? configPath : ShardgateUrl.PREFIX + configPath;
        ShardgateRuntime rt = RUNTIMES.remove(ShardgateUrl.parse(url).configPath());
        if (rt != null) {
            rt.close();
        }
    }

    /** Closes every runtime; what the JVM shutdown hook runs. */
    public static void shutdownAll() {
        for (Path p : RUNTIMES.keySet()) {
            ShardgateRuntime rt = RUNTIMES.remove(p);
            if (rt != null) {
                rt.close();
            }
        }
    }

    @Override
    public boolean acceptsURL(String url) {
        return ShardgateUrl.accepts(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return MAJOR_VERSION;
    }

    @Override
    public int getMinorVersion() {
        return MINOR_VERSION;
    }

    /** Not JDBC compliant in the spec's sense: no distributed atomic commit, no scrollable merged results. */
    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("shardgate logs through SLF4J, not java.util.logging");
    }
}
