package io.shardgate.it.proxy;

import io.shardgate.config.ConfigLoader;
import io.shardgate.it.fixture.TestDatabases;
import io.shardgate.proxy.ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What one client does to its session (settings, prepared statements, DDL that stales them) seen end to end in
 * transaction pooling. Every database gets a pool of one connection, so all clients of a shard share one backend:
 * whatever a client leaves on it, the next client meets.
 */
class ProxySessionStateIT {
    static final String RULES = """
            rules:
              ss-by-id: { type: hash, shards: [s0, s1] }
            tables:
              ss_items: { rule: ss-by-id, key: id }
            """;
    static final int ITEMS = 20;
    static ProxyServer proxy;
    /** An ss_items id held by shard s0 and one held by s1. */
    static long idOnS0;
    static long idOnS1;

    @BeforeAll
    static void start() throws Exception {
        TestDatabases db = TestDatabases.get();
        String yaml = db.postgresConfigYaml(RULES, """
                default-shard: s0
                read-write: { replica-reads: false }
                pool: { maximum-size: 1, connection-timeout: 5s }
                proxy: { listen: 127.0.0.1:0, auth: trust, pool-mode: transaction }
                """);
        proxy = new ProxyServer(ConfigLoader.load(db.writeConfig(yaml))).start();
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS ss_items");
            st.execute("DROP TABLE IF EXISTS ss_plain");
            st.execute("CREATE TABLE ss_items (id bigint primary key, name text)");
            st.execute("CREATE TABLE ss_plain (id bigint primary key, name text)"); // unsharded: on s0 only
            st.execute("INSERT INTO ss_plain VALUES (1, 'one'), (2, 'two')");
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO ss_items (id, name) VALUES (?, ?)")) {
                for (long id = 1; id <= ITEMS; id++) {
                    ins.setLong(1, id);
                    ins.setString(2, "item" + id);
                    ins.executeUpdate();
                    String shard = ProxyIT.explainShards(c, "SELECT * FROM ss_items WHERE id = " + id).get(0);
                    if (shard.equals("s0") && idOnS0 == 0) {
                        idOnS0 = id;
                    } else if (shard.equals("s1") && idOnS1 == 0) {
                        idOnS1 = id;
                    }
                }
            }
        }
        assertTrue(idOnS0 > 0 && idOnS1 > 0, "ids on both shards");
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    static Connection connect() throws SQLException {
        return RawProtocol.connect(proxy);
    }

    static Connection connect(Properties extra) throws SQLException {
        return RawProtocol.connect(proxy, extra);
    }

    /** pgjdbc sending every statement as a simple Query, as psql does. */
    static Connection connectSimple() throws SQLException {
        Properties p = new Properties();
        p.setProperty("preferQueryMode", "simple");
        return connect(p);
    }

    static String single(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql + " returned a row");
            String value = rs.getString(1);
            assertFalse(rs.next(), sql + " returned one row");
            return value;
        }
    }

    static String statementTimeoutOnShardOf(Connection c, long id) throws SQLException {
        return single(c, "SELECT current_setting('statement_timeout') FROM ss_items WHERE id = " + id);
    }

    // ------------------------------------------------------------------ settings in transaction pooling

    @Test
    void aSettingFollowsItsClientToEveryShardAndNeverReachesTheNextClient() throws Exception {
        try (Connection a = connect(); Connection b = connect()) {
            try (Statement st = a.createStatement()) {
                st.execute("SET statement_timeout = '1234ms'");
            }
            assertEquals("1234ms", single(a, "SELECT current_setting('statement_timeout')"));
            assertEquals("1234ms", statementTimeoutOnShardOf(a, idOnS0));
            assertEquals("1234ms", statementTimeoutOnShardOf(a, idOnS1), "on the shard A had not used when it SET");

            // B takes the same backends (one per database) between A's statements
            assertEquals("0", single(b, "SELECT current_setting('statement_timeout')"));
            assertEquals("0", statementTimeoutOnShardOf(b, idOnS1));

            a.setAutoCommit(false);
            assertEquals("1234ms", statementTimeoutOnShardOf(a, idOnS0));
            assertEquals("1234ms", statementTimeoutOnShardOf(a, idOnS1));
            a.commit();
            a.setAutoCommit(true);

            try (Statement st = a.createStatement()) {
                st.execute("RESET statement_timeout");
            }
            assertEquals("0", single(a, "SELECT current_setting('statement_timeout')"));
            assertEquals("0", statementTimeoutOnShardOf(a, idOnS1), "RESET is replayed no more");

            try (Statement st = a.createStatement()) {
                st.execute("SET statement_timeout = '4321ms'");
            }
            assertEquals("4321ms", statementTimeoutOnShardOf(a, idOnS1));
        }
        // A disconnected with its setting in force: a new client starts from the server's default
        try (Connection c = connect()) {
            assertEquals("0", single(c, "SELECT current_setting('statement_timeout')"));
            assertEquals("0", statementTimeoutOnShardOf(c, idOnS0));
            assertEquals("0", statementTimeoutOnShardOf(c, idOnS1));
        }
    }

    /**
     * pgjdbc sends SET application_name after logging in, so every one of its sessions has a setting: each backend it
     * lets go is RESET first, and with one backend per database its next statement waits for exactly that reset and
     * gets the backend handed over within it. The setting replayed on the handed-over backend must stay silent (its
     * SET reply once reached the client in front of the statement's own: pgjdbc failed with NoSuchElementException).
     */
    @Test
    void aBackendHandedOverRightAfterItsResetServesTheWaitingClientCleanly() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (int round = 0; round < 15; round++) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM ss_items WHERE id <= " + ITEMS)) {
                    assertTrue(rs.next());
                    assertEquals(ITEMS, rs.getLong(1), "round " + round + ", both shards");
                }
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM ss_plain WHERE id <= 2")) {
                    assertTrue(rs.next());
                    assertEquals(2, rs.getLong(1), "round " + round + ", s0 right after");
                }
            }
        }
    }

    @Test
    void readOnlySessionCharacteristicsOfOneClientDoNotBlockAnotherClientsWrites() throws Exception {
        try (Connection a = connect(); Connection b = connect()) {
            try (Statement st = a.createStatement()) {
                st.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
            }
            for (long id : new long[] {idOnS0, idOnS1}) {
                try (PreparedStatement up = b.prepareStatement("UPDATE ss_items SET name = ? WHERE id = ?")) {
                    up.setString(1, "written by b");
                    up.setLong(2, id);
                    assertEquals(1, up.executeUpdate(), "B writes on the shard of id " + id);
                }
            }
            try (Statement st = b.createStatement()) {
                assertEquals(1, st.executeUpdate("INSERT INTO ss_plain (id, name) VALUES (100, 'b')"));
                assertEquals(1, st.executeUpdate("DELETE FROM ss_plain WHERE id = 100"));
            }
        }
    }

    @Test
    void setConfigAndAdvisoryLocksInAnyCaseDoNotReachTheNextClient() throws Exception {
        // one at a time: either alone must leave the backend to be reset before the next client takes it
        for (String sessionCall : new String[] {"SELECT Set_Config('application_name', 'leaked-by-a', false)",
                "SELECT Pg_Advisory_Lock(4242)"}) {
            try (Connection a = connect(); Connection b = connect()) {
                try (Statement st = a.createStatement()) {
                    st.execute(sessionCall);
                }
                // the pool holds one connection per database: b takes the one a used, which must come back clean
                try (Statement st = b.createStatement(); ResultSet rs = st.executeQuery(
                        "SELECT current_setting('application_name'), (SELECT count(*) FROM pg_locks "
                                + "WHERE locktype = 'advisory' AND pid = pg_backend_pid())")) {
                    assertTrue(rs.next());
                    assertNotEquals("leaked-by-a", rs.getString(1), sessionCall);
                    assertEquals(0, rs.getLong(2), "advisory lock still held after " + sessionCall);
                }
            }
        }
    }

    @Test
    void aSettingMadeInACommittedTransactionStaysSetAndARolledBackOneDoesNot() throws Exception {
        try (Connection a = connect(); Connection b = connect()) {
            a.setAutoCommit(false);
            try (Statement st = a.createStatement()) {
                st.execute("SET application_name = 'set-in-tx'");
                a.commit();
                st.execute("SET application_name = 'rolled-back'");
                a.rollback();
            }
            a.setAutoCommit(true);
            // b takes the backend a used in between (pool of one): a's next statement gets a fresh one
            try (Statement st = b.createStatement(); ResultSet rs = st.executeQuery("SHOW application_name")) {
                rs.next();
                assertNotEquals("set-in-tx", rs.getString(1));
            }
            for (long id : new long[] {idOnS0, idOnS1}) {
                try (Statement st = a.createStatement(); ResultSet rs = st.executeQuery(
                        "SELECT current_setting('application_name') FROM ss_items WHERE id = " + id)) {
                    assertTrue(rs.next());
                    assertEquals("set-in-tx", rs.getString(1), "on the shard of id " + id);
                }
            }
        }
    }

    @Test
    void settingsFromTheStartupPacketApplyOnEveryShard() throws Exception {
        Properties p = new Properties();
        p.setProperty("ApplicationName", "startup-app");
        p.setProperty("options", "-c statement_timeout=4321 -c lock_timeout=777");
        try (Connection c = connect(p); Connection other = connect()) {
            for (long id : new long[] {idOnS0, idOnS1}) {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                        "SELECT current_setting('application_name'), current_setting('statement_timeout'), "
                                + "current_setting('lock_timeout') FROM ss_items WHERE id = " + id)) {
                    assertTrue(rs.next());
                    assertEquals("startup-app", rs.getString(1), "on the shard of id " + id);
                    assertEquals("4321ms", rs.getString(2));
                    assertEquals("777ms", rs.getString(3));
                }
            }
            try (Statement st = other.createStatement(); ResultSet rs = st.executeQuery("SHOW statement_timeout")) {
                rs.next();
                assertEquals("0", rs.getString(1), "another client's startup settings are its own");
            }
        }
    }

    @Test
    void listenIsRefusedInTransactionPooling() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> st.execute("LISTEN ss_channel"));
            assertEquals("0A000", e.getSQLState(), e.getMessage());
            assertTrue(e.getMessage().contains("LISTEN"), e.getMessage());
            assertEquals("1", single(c, "SELECT 1"), "the session stays usable");
        }
    }

    // ------------------------------------------------------------------ SET LOCAL / SET TRANSACTION

    @Test
    void transactionSettingsReachEveryShardTheTransactionUses() throws Exception {
        try (Connection c = connectSimple(); Statement st = c.createStatement()) {
            st.execute("BEGIN");
            st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            st.execute("SET LOCAL statement_timeout = '5s'");
            for (long id : new long[] {idOnS0, idOnS1}) {
                try (ResultSet rs = st.executeQuery("SELECT current_setting('transaction_isolation'), "
                        + "current_setting('statement_timeout') FROM ss_items WHERE id = " + id)) {
                    assertTrue(rs.next());
                    assertEquals("repeatable read", rs.getString(1), "isolation on the shard of id " + id);
                    assertEquals("5s", rs.getString(2), "statement_timeout on the shard of id " + id);
                }
            }
            st.execute("COMMIT");
            // both were local to the transaction
            assertEquals("0", statementTimeoutOnShardOf(c, idOnS1));
            assertEquals("read committed", single(c, "SELECT current_setting('transaction_isolation') "
                    + "FROM ss_items WHERE id = " + idOnS1));
        }
    }

    // ------------------------------------------------------------------ backend statement caches

    /** Runs the prepared lookup of ss_plain row 1 and returns its column count. */
    static int columnsOfRowOne(PreparedStatement ps) throws SQLException {
        ps.setLong(1, 1);
        try (ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next());
            assertEquals("one", rs.getString("name"));
            return rs.getMetaData().getColumnCount();
        }
    }

    static Properties prepareAtOnce() {
        Properties p = new Properties();
        p.setProperty("prepareThreshold", "1"); // a named server-side statement from the first execution
        return p;
    }

    @Test
    void preparedStatementsHealAfterTheirTableChanges() throws Exception {
        String lookup = "SELECT * FROM ss_plain WHERE id = ?";
        try (Connection c = connect(prepareAtOnce()); PreparedStatement ps = c.prepareStatement(lookup)) {
            for (int i = 0; i < 3; i++) {
                assertEquals(2, columnsOfRowOne(ps));
            }
            try (Connection other = connect(); Statement st = other.createStatement()) {
                st.execute("ALTER TABLE ss_plain ADD COLUMN ss_extra int");
            }
            try {
                // pgjdbc reports the stale plan once itself, then prepares afresh
                columnsOfRowOne(ps);
            } catch (SQLException e) {
                assertTrue(e.getMessage().contains("cached plan must not change result type"), e.getMessage());
            }
            for (int i = 0; i < 3; i++) {
                assertEquals(3, columnsOfRowOne(ps), "execution " + i + " after the ALTER on the same connection");
            }
            for (int client = 0; client < 2; client++) {
                try (Connection fresh = connect(prepareAtOnce()); PreparedStatement fps = fresh.prepareStatement(lookup)) {
                    for (int i = 0; i < 3; i++) {
                        assertEquals(3, columnsOfRowOne(fps), "new client " + client + ", execution " + i);
                    }
                }
            }
        } finally {
            try (Connection c = connect(); Statement st = c.createStatement()) {
                st.execute("ALTER TABLE ss_plain DROP COLUMN IF EXISTS ss_extra");
            }
        }
    }

    @Test
    void preparedStatementsSurviveAClientsDeallocateAll() throws Exception {
        preparedStatementsSurvive("DEALLOCATE ALL");
    }

    /**
     * Inside a transaction the backend stays with the client between DEALLOCATE ALL and the next execution, so nothing
     * but the proxy noticing the DEALLOCATE can keep it from binding a statement the backend no longer has.
     */
    @Test
    void preparedStatementsSurviveDeallocateAllWithinATransaction() throws Exception {
        String lookup = "SELECT id, name FROM ss_plain WHERE id = ?";
        try (Connection c = connect(prepareAtOnce()); PreparedStatement ps = c.prepareStatement(lookup)) {
            c.setAutoCommit(false);
            for (int i = 0; i < 3; i++) {
                columnsOfRowOne(ps);
            }
            try (Statement st = c.createStatement()) {
                st.execute("DEALLOCATE ALL");
            }
            for (int i = 0; i < 3; i++) {
                assertEquals(2, columnsOfRowOne(ps), "execution " + i + " after DEALLOCATE ALL, same transaction");
            }
            c.commit();
            assertEquals(2, columnsOfRowOne(ps), "after the transaction");
        }
    }

    @Test
    void preparedStatementsSurviveAClientsDiscardAll() throws Exception {
        preparedStatementsSurvive("DISCARD ALL");
    }

    /** {@code dropAll} run by one client must not break prepared statements, its own or other clients'. */
    private static void preparedStatementsSurvive(String dropAll) throws Exception {
        String lookup = "SELECT id, name FROM ss_plain WHERE id = ?";
        try (Connection c = connect(prepareAtOnce()); PreparedStatement ps = c.prepareStatement(lookup)) {
            for (int i = 0; i < 3; i++) {
                columnsOfRowOne(ps);
            }
            try (Statement st = c.createStatement()) {
                st.execute(dropAll);
            }
            for (int i = 0; i < 3; i++) {
                assertEquals(2, columnsOfRowOne(ps), "execution " + i + " after " + dropAll);
            }
            try (PreparedStatement again = c.prepareStatement(lookup)) {
                assertEquals(2, columnsOfRowOne(again));
            }
            List<Connection> others = new ArrayList<>();
            try {
                for (int client = 0; client < 2; client++) {
                    Connection other = connect(prepareAtOnce());
                    others.add(other);
                    try (PreparedStatement ops = other.prepareStatement(lookup)) {
                        for (int i = 0; i < 3; i++) {
                            assertEquals(2, columnsOfRowOne(ops), "new client " + client + " after " + dropAll);
                        }
                    }
                }
            } finally {
                for (Connection o : others) {
                    o.close();
                }
            }
        }
    }
}
