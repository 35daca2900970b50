package io.shardgate.it.proxy;

import io.shardgate.config.ConfigLoader;
import io.shardgate.it.fixture.Role;
import io.shardgate.it.fixture.TestDatabases;
import io.shardgate.it.proxy.RawProtocol.Message;
import io.shardgate.it.proxy.RawProtocol.Pipeline;
import io.shardgate.proxy.ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.net.Socket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that pipeline extended-protocol cycles (several Parse/Bind/Execute/Sync, or a Describe and Flush after a
 * Sync, in one write) through the proxy, and transactions that end in COMMIT after an error; each run on the
 * fixture's two real PostgreSQL shards.
 */
class ProxyPipelineIT {
    static final String RULES = """
            rules:
              pl-by-id: { type: hash, shards: [s0, s1] }
            tables:
              pl_users:    { rule: pl-by-id, key: id }
              pl_payments: { rule: pl-by-id, key: id }
            """;
    static final int USERS = 20;
    static final String COUNT_USERS = "SELECT count(*) FROM pl_users";
    /** Long enough for a loaded machine, short enough that a proxy that never answers fails the build quickly. */
    static final int READ_TIMEOUT_MILLIS = 5000;
    /** The Flush-after-Sync race depends on when the backends' replies arrive: enough rounds to hit it reliably. */
    static final int ROUNDS = 30;
    static final int INT4_OID = 23;

    static TestDatabases db;
    static ProxyServer proxy;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabases.get();
        // one event loop, so all clients share one idle list per pool (most recently released first), and
        // primaries only, so a statement's backend is known: the tests can tell which connection a client gets
        String yaml = db.postgresConfigYaml(RULES, """
                default-shard: s0
                read-write: { replica-reads: false }
                proxy: { listen: 127.0.0.1:0, auth: trust, workers: 1 }
                """);
        proxy = new ProxyServer(ConfigLoader.load(db.writeConfig(yaml))).start();
        try (Connection c = RawProtocol.connect(proxy); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS pl_users");
            st.execute("DROP TABLE IF EXISTS pl_payments");
            st.execute("CREATE TABLE pl_users (id bigint primary key, name text)");
            st.execute("CREATE TABLE pl_payments (id bigint primary key, note text)");
            st.execute("DROP TABLE IF EXISTS pl_notes");
            st.execute("CREATE TABLE pl_notes (id bigint primary key, note text)"); // default shard only
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO pl_users (id, name) VALUES (?, ?)")) {
                for (long id = 1; id <= USERS; id++) {
                    ps.setLong(1, id);
                    ps.setString(2, "user" + id);
                    ps.executeUpdate();
                }
            }
        }
        for (int s = 0; s < 2; s++) {
            assertTrue(rowsOnShard(s, "pl_users", "true") > 0, "the count must be a merge of both shards");
        }
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    static Socket open() throws Exception {
        Socket s = new Socket("127.0.0.1", proxy.port());
        s.setSoTimeout(READ_TIMEOUT_MILLIS);
        return s;
    }

    static long rowsOnShard(int shard, String table, String where) throws SQLException {
        try (Connection c = db.connectShard(shard, Role.PRIMARY); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table + " WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The DataRows' first columns and the CommandCompletes of {@code messages}, in order. */
    static String rowsAndTags(List<Message> messages) {
        StringBuilder b = new StringBuilder();
        for (Message m : messages) {
            if (m.type() == 'D') {
                b.append(m.column(0)).append(';');
            } else if (m.type() == 'C') {
                b.append(m.tag()).append(';');
            }
        }
        return b.toString();
    }

    /**
     * asyncpg's copy_records_to_table sends the COPY statement, its rows and CopyDone without waiting for the
     * CopyInResponse: rows that reach the proxy before the backends are ready must wait, not be dropped (the COPY
     * then waited forever for the data). Both ways: a table of one shard (forwarded) and a sharded one (split).
     */
    @Test
    void copyDataSentWithTheCopyStatementIsNotLost() throws Exception {
        try (Socket s = open()) {
            DataInputStream in = RawProtocol.login(s);
            for (String table : List.of("pl_notes", "pl_payments")) {
                for (int round = 0; round < 5; round++) {
                    long first = 1000 + round * 10L;
                    Pipeline p = new Pipeline().query("COPY " + table + " (id, note) FROM STDIN");
                    for (long id = first; id < first + 4; id++) {
                        p.copyData(id + "\tnote " + id + "\n");
                    }
                    p.copyDone().sendTo(s);
                    List<Message> got = RawProtocol.readUntil(s, in, 'Z', 1);
                    assertEquals("GCZ", RawProtocol.types(got), table + " round " + round);
                    assertEquals("COPY 4", got.get(1).tag(), table + " round " + round);
                }
                long rows = 0;
                for (int shard = 0; shard < (table.equals("pl_notes") ? 1 : 2); shard++) { // pl_notes: s0 only
                    rows += rowsOnShard(shard, table, "id BETWEEN 1000 AND 1049");
                }
                assertEquals(20, rows, table);
            }
        }
    }

    @Test
    void twoPipelinedMultiShardSelectsEachGetTheirRow() throws Exception {
        twoPipelinedCounts(false, "12DCZ12DCZ");
    }

    @Test
    void twoPipelinedDescribedMultiShardSelectsEachGetTheirRow() throws Exception {
        twoPipelinedCounts(true, "1tT2DCZ1tT2DCZ");
    }

    /** Two cycles of a multi-shard count written at once (with a Describe of the statement or not), five times. */
    private static void twoPipelinedCounts(boolean describe, String expectedTypes) throws Exception {
        try (Socket s = open()) {
            DataInputStream in = RawProtocol.login(s);
            for (int round = 0; round < 5; round++) {
                Pipeline p = new Pipeline();
                for (int cycle = 0; cycle < 2; cycle++) {
                    p.parse("", COUNT_USERS);
                    if (describe) {
                        p.describeStatement("");
                    }
                    p.bind("", "").execute("").sync();
                }
                p.sendTo(s);
                List<Message> got = RawProtocol.readUntil(s, in, 'Z', 2);
                assertEquals(expectedTypes, RawProtocol.types(got), "round " + round);
                assertEquals(USERS + ";SELECT 1;" + USERS + ";SELECT 1;", rowsAndTags(got), "round " + round);
            }
        }
    }

    /**
     * A multi-shard cycle up to Sync and, in the same write, the next statement's Parse/Describe with a Flush: the
     * Describe's answers must come without a Sync, and the Sync that ends the next cycle must get its ReadyForQuery.
     */
    @Test
    void describeFlushedAfterAPipelinedSyncIsAnsweredAndItsCycleEnds() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            try (Socket s = open()) {
                DataInputStream in = RawProtocol.login(s);
                new Pipeline()
                        .parse("a1", COUNT_USERS).describeStatement("a1").bind("", "a1").execute("").sync()
                        .parse("a2", "select $1::int as v").describeStatement("a2").flush()
                        .sendTo(s);
                List<Message> first = RawProtocol.readUntil(s, in, 'Z', 1);
                assertEquals("1tT2DCZ", RawProtocol.types(first), "round " + round);
                assertEquals(USERS + ";SELECT 1;", rowsAndTags(first), "round " + round);
                List<Message> described = RawProtocol.readUntil(s, in, 'T', 1);
                assertEquals("1tT", RawProtocol.types(described), "round " + round);
                assertEquals(List.of(INT4_OID), described.get(1).parameterTypes(), "round " + round);

                new Pipeline().bind("", "a2", String.valueOf(round)).execute("").sync().sendTo(s);
                List<Message> second = RawProtocol.readUntil(s, in, 'Z', 1);
                assertEquals("2DCZ", RawProtocol.types(second), "round " + round);
                assertEquals(round + ";SELECT 1;", rowsAndTags(second), "round " + round);
            }
        }
    }

    /**
     * As above, with another client asking for shard s0 between the Describe and the next Sync: the s0 connection
     * still owes that Sync, so it stays with the first client; the other client gets a different one, and the first
     * client's Bind/Execute/Sync run where the statement was described and end with a ReadyForQuery. The count
     * sleeps on its s1 row so that s0's ReadyForQuery and Describe answers arrive before s1's ReadyForQuery, which
     * ends the cycle: only then is the s0 connection done with everything it was sent.
     */
    @Test
    void aConnectionOwingASyncIsNotLentToAnotherClient() throws Exception {
        try (Socket s = open(); Connection other = RawProtocol.connect(proxy); Statement otherSt = other.createStatement()) {
            long slowId = idsOnEachShard(other, "pl_users")[1];
            String countSlowOnS1 = COUNT_USERS + " WHERE id <> " + slowId + " OR pg_sleep(0.3) IS NOT NULL";
            DataInputStream in = RawProtocol.login(s);
            new Pipeline()
                    .parse("a1", countSlowOnS1).describeStatement("a1").bind("", "a1").execute("").sync()
                    .parse("a2", "select $1::int as v").describeStatement("a2").flush()
                    .sendTo(s);
            List<Message> first = RawProtocol.readUntil(s, in, 'Z', 1);
            assertEquals("1tT2DCZ", RawProtocol.types(first));
            assertEquals(USERS + ";SELECT 1;", rowsAndTags(first));
            assertEquals("1tT", RawProtocol.types(RawProtocol.readUntil(s, in, 'T', 1)));

            // a transaction keeps its s0 connection until COMMIT; it must not be the one s is in the middle of
            other.setAutoCommit(false);
            try (ResultSet rs = otherSt.executeQuery("SELECT 2")) {
                assertTrue(rs.next());
                assertEquals(2, rs.getInt(1));
            }

            new Pipeline().bind("", "a2", "7").execute("").sync().sendTo(s);
            List<Message> second = RawProtocol.readUntil(s, in, 'Z', 1);
            assertEquals("2DCZ", RawProtocol.types(second));
            assertEquals("7;SELECT 1;", rowsAndTags(second));
            other.commit();
        }
    }

    /** Two ids of {@code table} that the proxy routes to different shards, s0's first. */
    static long[] idsOnEachShard(Connection c, String table) throws SQLException {
        long[] ids = {-1, -1};
        for (long id = 1; ids[0] < 0 || ids[1] < 0; id++) {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("EXPLAIN ROUTE SELECT * FROM " + table + " WHERE id = " + id)) {
                assertTrue(rs.next());
                int shard = Integer.parseInt(rs.getString("shard").substring(1));
                if (ids[shard] < 0) {
                    ids[shard] = id;
                }
            }
        }
        return ids;
    }

    /** Commits, as a client that did not notice the error would; the proxy answers ROLLBACK. */
    static void commitAfterTheError(Connection c) {
        try {
            c.commit();
        } catch (SQLException toldRolledBack) {
            // pgjdbc reports a COMMIT answered with ROLLBACK as an error; what matters is what the shards kept
        }
    }

    static void assertNowhere(long id) throws SQLException {
        for (int s = 0; s < 2; s++) {
            assertEquals(0, rowsOnShard(s, "pl_payments", "id = " + id), "id " + id + " on shard s" + s);
        }
    }

    @Test
    void commitAfterAnotherShardFailedRollsBackEveryShard() throws Exception {
        try (Connection c = RawProtocol.connect(proxy); Statement st = c.createStatement()) {
            long[] ids = freeIdsOnEachShard(c, st);
            long onS0 = ids[0];
            long onS1 = ids[1];
            st.executeUpdate("INSERT INTO pl_payments (id, note) VALUES (" + onS1 + ", 'taken')");

            c.setAutoCommit(false);
            assertEquals(1, st.executeUpdate("INSERT INTO pl_payments (id, note) VALUES (" + onS0 + ", 'tx')"));
            SQLException duplicate = assertThrows(SQLException.class,
                    () -> st.executeUpdate("INSERT INTO pl_payments (id, note) VALUES (" + onS1 + ", 'tx')"));
            assertEquals("23505", duplicate.getSQLState());
            commitAfterTheError(c);

            assertNowhere(onS0);
            c.setAutoCommit(true);
            st.executeUpdate("DELETE FROM pl_payments WHERE id = " + onS1);
        }
    }

    @Test
    void commitAfterTheProxyRefusedAStatementRollsBackEveryShard() throws Exception {
        try (Connection c = RawProtocol.connect(proxy); Statement st = c.createStatement()) {
            long[] ids = freeIdsOnEachShard(c, st);
            long onS0 = ids[0];
            long onS1 = ids[1];

            c.setAutoCommit(false);
            assertEquals(1, st.executeUpdate("INSERT INTO pl_payments (id, note) VALUES (" + onS0 + ", 'tx')"));
            // refused by the router (no column list to find the shard key in), so no shard sees an error
            SQLException refused = assertThrows(SQLException.class,
                    () -> st.executeUpdate("INSERT INTO pl_payments VALUES (" + onS1 + ", 'tx')"));
            assertTrue(refused.getMessage().contains("column list"), refused.getMessage());
            commitAfterTheError(c);

            assertNowhere(onS0);
            assertNowhere(onS1);
        }
    }

    /** A pl_payments id of each shard (s0, s1), with no row under it yet. */
    private static long[] freeIdsOnEachShard(Connection c, Statement st) throws Exception {
        long[] ids = idsOnEachShard(c, "pl_payments");
        for (long id : ids) {
            st.executeUpdate("DELETE FROM pl_payments WHERE id = " + id);
        }
        return ids;
    }
}
