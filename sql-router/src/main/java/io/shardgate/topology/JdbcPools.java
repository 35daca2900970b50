package io.shardgate.topology;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.shardgate.config.DatabaseConfig;
import io.shardgate.config.PoolConfig;

import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The one place a HikariCP pool is made for a configured database: the JDBC driver's data path, the proxy's control
 * plane (probes, directory lookups) and the CLI all connect with the same URL, credentials and driver properties.
 */
public final class JdbcPools {
    private JdbcPools() {
    }

    /**
     * A pool sized and timed by {@code pool}, started by its first {@code getConnection} (HikariDataSource's lazy
     * start): a database that is down when first needed then fails at once with its own SQLState instead of after
     * the connection timeout, which is what lets a replica read fall back to the primary quickly, and a proxy start
     * while one database is down.
     */
    public static HikariDataSource lazy(DatabaseConfig db, String poolName, PoolConfig pool) {
        HikariConfig hc = base(db, poolName);
        hc.setMaximumPoolSize(pool.maximumPoolSize());
        hc.setMinimumIdle(pool.minimumIdle());
        hc.setConnectionTimeout(pool.connectionTimeout().toMillis());
        hc.setIdleTimeout(pool.idleTimeout().toMillis());
        hc.setMaxLifetime(pool.maxLifetime().toMillis());
        return start(hc);
    }

    /** A small lazily started pool with no idle connections kept, for occasional control-plane queries. */
    public static HikariDataSource small(DatabaseConfig db, String poolName, int maximumSize) {
        HikariConfig hc = base(db, poolName);
        hc.setMaximumPoolSize(maximumSize);
        hc.setMinimumIdle(0);
        return start(hc);
    }

    private static HikariConfig base(DatabaseConfig db, String poolName) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName(poolName);
        hc.setJdbcUrl(jdbcUrl(db.url()));
        if (db.user() != null) {
            hc.setUsername(db.user());
        }
        if (db.password() != null) {
            hc.setPassword(db.password());
        }
        db.properties().forEach(hc::addDataSourceProperty);
        return hc;
    }

    private static HikariDataSource start(HikariConfig hc) {
        HikariDataSource ds = new HikariDataSource();
        hc.copyStateTo(ds);
        return ds;
    }

    /**
     * The URL a pool connects with. {@code jdbc:mariadb:} is accepted in the config; when no MariaDB driver is on
     * the classpath, the bundled MySQL driver (which speaks to MariaDB) gets the same URL as {@code jdbc:mysql:}.
     */
    public static String jdbcUrl(String configured) {
        if (!configured.startsWith("jdbc:mariadb:")) {
            return configured;
        }
        try {
            DriverManager.getDriver(configured);
            return configured;
        } catch (SQLException noMariaDbDriver) {
            return "jdbc:mysql:" + configured.substring("jdbc:mariadb:".length());
        }
    }
}
