package io.shardgate.it.proxy;

import io.shardgate.config.ConfigLoader;
import io.shardgate.it.fixture.Role;
import io.shardgate.it.fixture.TestDatabases;
import io.shardgate.proxy.ProxyServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SIGTERM drain, through the path the shutdown hook runs ({@link ProxyServer#close()}), with pgjdbc: new
 * connections are refused at once, an idle client is closed with FATAL 57P01, a client inside a transaction can
 * still COMMIT (its rows are on the shards) and is closed afterwards, and one that never ends its transaction is
 * closed at {@code proxy.shutdown-timeout} with its transaction rolled back.
 */
class ProxyClientsDrainIT {
    static final String TABLE = "dr_items";
    static TestDatabases db;

    @BeforeAll
    static void tables() throws Exception {
        db = TestDatabases.get();
        for (int s = 0; s < 2; s++) {
            try (Connection c = db.connectShard(s, Role.PRIMARY); Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + TABLE);
                st.execute("CREATE TABLE " + TABLE + " (id bigint primary key, note text)");
            }
        }
        db.waitForReplicaCatchUp();
    }

    static ProxyServer start(String shutdownTimeout) throws Exception {
        String yaml = db.postgresConfigYaml("""
                rules:
                  dr-by-id: { type: hash, shards: [s0, s1] }
                tables:
                  dr_items: { rule: dr-by-id, key: id }
                """, """
                default-shard: s0
                pool: { maximum-size: 4, connection-timeout: 2s }
                proxy:
                  listen: 127.0.0.1:0
                  pool-mode: transaction
                  auth: scram-sha-256
                  shutdown-timeout: %s
                  users: { app: { password: dr41n } }
                """.formatted(shutdownTimeout));
        return new ProxyServer(ConfigLoader.load(db.writeConfig(yaml))).start();
    }

    static Connection connect(int port) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "app");
        p.setProperty("password", "dr41n");
        p.setProperty("connectTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/app", p);
    }

    static TreeSet<Long> idsOnShards(long from, long to) throws SQLException {
        TreeSet<Long> ids = new TreeSet<>();
        for (int s = 0; s < 2; s++) {
            try (Connection c = db.connectShard(s, Role.PRIMARY); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT id FROM " + TABLE + " WHERE id BETWEEN " + from + " AND " + to)) {
                while (rs.next()) {
                    assertTrue(ids.add(rs.getLong(1)));
                }
            }
        }
        return ids;
    }

    /** The error a closed-by-the-proxy connection gives on its next statement: 57P01 from the FATAL it was sent. */
    static SQLException nextStatementFails(Connection c) {
        return assertThrows(SQLException.class, () -> {
            try (Statement st = c.createStatement()) {
                st.execute("SELECT 1");
            }
        });
    }

    /** Polls until a new connection is refused by TCP (the listener is closed). */
    static void awaitRefused(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try (Connection c = connect(port)) {
                assertTrue(System.nanoTime() < deadline, "the proxy still accepts connections after close() began");
                Thread.sleep(20);
            } catch (SQLException e) {
                if ("57P03".equals(e.getSQLState()) || "57P01".equals(e.getSQLState())) {
                    assertTrue(System.nanoTime() < deadline, "logins refused, but the listener is still open");
                    continue; // accepted just before the listener closed: refused during its login
                }
                assertEquals("08001", e.getSQLState(), "refused: " + e);
                return;
            }
        }
    }

    @Test
    void idleClientsLeaveAtOnceTransactionsFinishNewConnectionsAreRefused() throws Exception {
        ProxyServer proxy = start("20s");
        int port = proxy.port();
        Connection idle = connect(port);
        Connection tx = connect(port);
        try (Statement st = idle.createStatement()) {
            st.execute("SELECT 1");
        }
        tx.setAutoCommit(false);
        try (Statement st = tx.createStatement()) {
            st.executeUpdate("INSERT INTO " + TABLE + " (id, note) VALUES (1, 'before'), (2, 'before')");
        }

        long t0 = System.nanoTime();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(proxy::close);
        awaitRefused(port);
        Thread.sleep(300); // the idle client's FATAL is on its way

        SQLException idleError = nextStatementFails(idle);
        assertEquals("57P01", idleError.getSQLState(), idleError.toString());
        assertTrue(idleError.getMessage().contains("terminating connection due to administrator command"),
                idleError.getMessage());
        assertFalse(closing.isDone(), "close() waits for the open transaction");

        // the transaction goes on: more statements, then COMMIT
        try (Statement st = tx.createStatement()) {
            st.executeUpdate("INSERT INTO " + TABLE + " (id, note) VALUES (3, 'during'), (4, 'during')");
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + TABLE + " WHERE id BETWEEN 1 AND 4")) {
                assertTrue(rs.next());
                assertEquals(4, rs.getInt(1));
            }
        }
        tx.commit();
        closing.get(10, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(15), "drained before the 20s timeout");
        SQLException txError = nextStatementFails(tx);
        assertEquals("57P01", txError.getSQLState(), txError.toString());
        assertEquals(new TreeSet<>(java.util.List.of(1L, 2L, 3L, 4L)), idsOnShards(1, 4));
        idle.close();
        tx.close();
    }

    @Test
    void aTransactionThatNeverEndsIsClosedAtTheTimeoutAndRolledBack() throws Exception {
        ProxyServer proxy = start("2s");
        int port = proxy.port();
        Connection tx = connect(port);
        tx.setAutoCommit(false);
        try (Statement st = tx.createStatement()) {
            st.executeUpdate("INSERT INTO " + TABLE + " (id, note) VALUES (11, 'abandoned'), (12, 'abandoned')");
        }
        long t0 = System.nanoTime();
        proxy.close();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms >= 1900 && ms < 8000, "close() took " + ms + " ms with shutdown-timeout 2s");
        SQLException e = nextStatementFails(tx);
        assertEquals("57P01", e.getSQLState(), e.toString());
        tx.close();
        assertEquals(new TreeSet<Long>(), idsOnShards(11, 12));
    }
}
