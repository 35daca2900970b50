package io.shardgate.it.proxy;

import io.shardgate.config.ConfigLoader;
import io.shardgate.it.fixture.TestDatabases;
import io.shardgate.proxy.ProxyServer;
import io.shardgate.proxy.backend.BackendPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pool limits and timeouts, cancel requests and killed clients, on a proxy with two backends per database. */
class ProxyPoolingIT {
    static ProxyServer proxy;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        TestDatabases db = TestDatabases.get();
        String yaml = db.postgresConfigYaml("", """
                default-shard: s0
                read-write: { replica-reads: false }
                pool: { maximum-size: 2, connection-timeout: 1s }
                proxy:
                  listen: 127.0.0.1:0
                  auth: md5
                  users: { app: { password: pw } }
                  query-timeout: 3s
                """);
        proxy = new ProxyServer(ConfigLoader.load(db.writeConfig(yaml))).start();
        port = proxy.port();
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    static Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "app");
        p.setProperty("password", "pw");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/app", p);
    }

    static BackendPool s0() {
        return proxy.pools().get("s0-primary");
    }

    static void awaitOpenAtMost(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (s0().open() - s0().idle() > n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(s0().open() - s0().idle() <= n, "busy backends: " + (s0().open() - s0().idle()));
    }

    @Test
    void aClientWaitingForAFullPoolGetsAnErrorNotAHang() throws Exception {
        List<Connection> holders = new ArrayList<>();
        Connection third = connect(); // connected first: pgjdbc's setup queries need a backend too
        try {
            for (int i = 0; i < 2; i++) { // two open transactions hold both backends of s0
                Connection c = connect();
                c.setAutoCommit(false);
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
                    rs.next();
                }
                holders.add(c);
            }
            try (Statement st = third.createStatement()) {
                long t0 = System.nanoTime();
                SQLException e = assertThrows(SQLException.class, () -> st.executeQuery("SELECT 1"));
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertTrue(e.getMessage().contains("no connection to s0-primary free within"), e.getMessage());
                assertTrue(ms >= 900 && ms < 5000, "waited " + ms + "ms");
                holders.get(0).rollback(); // a backend comes free: the waiting client gets it
                try (ResultSet rs = st.executeQuery("SELECT 3")) {
                    rs.next();
                    assertEquals(3, rs.getInt(1));
                }
            }
        } finally {
            third.close();
            for (Connection c : holders) {
                c.close();
            }
        }
        awaitOpenAtMost(0);
    }

    @Test
    void cancelReachesTheBackendRunningTheQuery() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            CompletableFuture<SQLException> running = CompletableFuture.supplyAsync(() -> {
                try {
                    st.executeQuery("SELECT pg_sleep(20)");
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            Thread.sleep(500);
            long t0 = System.nanoTime();
            st.cancel();
            SQLException e = running.get(10, TimeUnit.SECONDS);
            assertTrue(e != null && "57014".equals(e.getSQLState()), String.valueOf(e));
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 5000);
            try (ResultSet rs = st.executeQuery("SELECT 5")) {
                rs.next();
                assertEquals(5, rs.getInt(1));
            }
        }
    }

    @Test
    void aStatementRunningPastTheQueryTimeoutIsCancelled() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            long t0 = System.nanoTime();
            SQLException e = assertThrows(SQLException.class, () -> st.executeQuery("SELECT pg_sleep(15)"));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals("57014", e.getSQLState(), e.getMessage());
            assertTrue(ms >= 2500 && ms < 10_000, "cancelled after " + ms + "ms");
            try (ResultSet rs = st.executeQuery("SELECT 4")) {
                rs.next();
                assertEquals(4, rs.getInt(1));
            }
        }
    }

    @Test
    void aKilledClientReleasesItsBackend() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("psql", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "app",
                "-d", "app", "-X", "-c", "SELECT pg_sleep(30)");
        pb.environment().put("PGPASSWORD", "pw");
        if (!new java.io.File("/usr/bin/psql").canExecute()) {
            return;
        }
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (s0().open() - s0().idle() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(s0().open() - s0().idle() >= 1, "psql's query holds a backend");
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        awaitOpenAtMost(0); // cancelled and closed, not leaked
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 9")) {
            rs.next();
            assertEquals(9, rs.getInt(1));
        }
    }
}
