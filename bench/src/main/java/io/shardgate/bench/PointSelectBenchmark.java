package io.shardgate.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Single-shard point selects by key, the way an application does them: borrow a connection from its HikariCP
 * pool, prepare, bind a random existing id, read the one row, close. Three clients over the same two shard
 * databases (see {@link BenchDatabases}); {@link BenchMain} creates the data, runs this and prints the ratios.
 * Settings reach the forked JVMs as system properties {@code sg.bench.*} set by BenchMain.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(8)
public class PointSelectBenchmark {
    public static final String SQL = "SELECT id, name, email FROM users WHERE id = ?";

    static String prop(String name) {
        String v = System.getProperty("sg.bench." + name);
        if (v == null) {
            throw new IllegalStateException("system property sg.bench." + name + " is not set; run io.shardgate.bench.BenchMain (bench/run.sh)");
        }
        return v;
    }

    static int poolSize() {
        return Integer.parseInt(prop("poolSize"));
    }

    static HikariDataSource pool(String name, String driverClass, String url, String user, String password) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName(name);
        hc.setDriverClassName(driverClass);
        hc.setJdbcUrl(url);
        if (user != null) {
            hc.setUsername(user);
            hc.setPassword(password);
        }
        hc.setMaximumPoolSize(poolSize());
        hc.setMinimumIdle(poolSize());
        hc.setConnectionTimeout(10_000);
        return new HikariDataSource(hc);
    }

    /** The ids asked for, one random stream per benchmark thread. */
    @State(Scope.Thread)
    public static class Ids {
        private static long[] keys;
        private SplittableRandom random;

        @Setup(Level.Trial)
        public void setUp() {
            synchronized (Ids.class) {
                if (keys == null) {
                    keys = Keys.agreeing(Integer.parseInt(prop("rows")));
                }
            }
            random = new SplittableRandom(Thread.currentThread().getId() * 0x9E3779B97F4A7C15L);
        }

        long next() {
            return keys[random.nextInt(keys.length)];
        }
    }

    /** Plain HikariCP + pgjdbc, one pool per shard; the application routes by shardgate's hash itself. */
    @State(Scope.Benchmark)
    public static class Baseline {
        final HikariDataSource[] pools = new HikariDataSource[2];

        @Setup(Level.Trial)
        public void setUp() {
            for (int s = 0; s < pools.length; s++) {
                pools[s] = pool("baseline-s" + s, "org.postgresql.Driver", prop("url" + s), prop("user"), prop("password"));
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            for (HikariDataSource p : pools) {
                p.close();
            }
        }
    }

    /** HikariCP over the shardgate driver (jdbc:shardgate:CONFIG), as an application configures it. */
    @State(Scope.Benchmark)
    public static class Shardgate {
        HikariDataSource pool;

        @Setup(Level.Trial)
        public void setUp() {
            pool = pool("shardgate", "io.shardgate.jdbc.ShardgateDriver", "jdbc:shardgate:" + prop("shardgateConfig"), null, null);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            pool.close();
        }
    }

    /** HikariCP over the ShardingSphere-JDBC 5.5.2 driver, as its documentation configures it. */
    @State(Scope.Benchmark)
    public static class ShardingSphere {
        HikariDataSource pool;

        @Setup(Level.Trial)
        public void setUp() {
            pool = pool("shardingsphere", "org.apache.shardingsphere.driver.ShardingSphereDriver",
                    "jdbc:shardingsphere:absolutepath:" + prop("shardingSphereConfig"), null, null);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            pool.close();
        }
    }

    static void pointSelect(DataSource ds, long id, Blackhole bh) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no row for id " + id);
                }
                bh.consume(rs.getLong(1));
                bh.consume(rs.getString(2));
                bh.consume(rs.getString(3));
                if (rs.next()) {
                    throw new IllegalStateException("more than one row for id " + id);
                }
            }
        }
    }

    @Benchmark
    public void baseline(Baseline b, Ids ids, CpuProfiler.ServerTicks cpu, Blackhole bh) throws SQLException {
        long id = ids.next();
        pointSelect(b.pools[BenchDatabases.shardOf(id)], id, bh);
    }

    @Benchmark
    public void shardgate(Shardgate s, Ids ids, CpuProfiler.ServerTicks cpu, Blackhole bh) throws SQLException {
        pointSelect(s.pool, ids.next(), bh);
    }

    @Benchmark
    public void shardingSphere(ShardingSphere s, Ids ids, CpuProfiler.ServerTicks cpu, Blackhole bh) throws SQLException {
        pointSelect(s.pool, ids.next(), bh);
    }
}
