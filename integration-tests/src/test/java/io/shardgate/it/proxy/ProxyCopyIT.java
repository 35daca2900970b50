package io.shardgate.it.proxy;

import io.shardgate.config.ConfigLoader;
import io.shardgate.it.fixture.Role;
import io.shardgate.it.fixture.TestDatabases;
import io.shardgate.proxy.ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.largeobject.LargeObject;
import org.postgresql.largeobject.LargeObjectManager;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * COPY through the proxy with pgjdbc's CopyManager over sharded, reference and unsharded tables (replicas
 * configured), and the large-object API, which reaches the proxy as FunctionCall messages.
 */
class ProxyCopyIT {
    static final String RULES = """
            rules:
              cp-by-id: { type: hash, shards: [s0, s1] }
            tables:
              cp_items:     { rule: cp-by-id, key: id }
              cp_countries: { reference: true }
            """;
    static TestDatabases db;
    static ProxyServer proxy;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabases.get();
        String yaml = db.postgresConfigYaml(RULES, """
                default-shard: s0
                read-write: { balancer: round-robin, max-replica-lag: 10s, read-your-writes: 60s }
                pool: { maximum-size: 4, connection-timeout: 5s }
                proxy: { listen: 127.0.0.1:0, auth: trust, pool-mode: transaction }
                """);
        proxy = new ProxyServer(ConfigLoader.load(db.writeConfig(yaml))).start();
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS cp_items");
            st.execute("DROP TABLE IF EXISTS cp_countries");
            st.execute("CREATE TABLE cp_items (id bigint primary key, name text)");
            st.execute("CREATE TABLE cp_countries (code text primary key, name text)");
            st.execute("INSERT INTO cp_countries VALUES ('de', 'Germany'), ('fr', 'France'), ('it', 'Italy')");
        }
        // the unsharded table is made directly on s0, so no write through the proxy has sent its reads to the primary
        try (Connection c = db.connectShard(0, Role.PRIMARY); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS cp_notes");
            st.execute("CREATE TABLE cp_notes (id bigint primary key, note text)");
        }
        db.waitForReplicaCatchUp();
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

    static CopyManager copyManager(Connection c) throws SQLException {
        return c.unwrap(PGConnection.class).getCopyAPI();
    }

    static String copyOut(Connection c, String sql) throws Exception {
        StringWriter out = new StringWriter();
        copyManager(c).copyOut(sql, out);
        return out.toString();
    }

    @Test
    void csvHeaderOfAShardedTableComesOnce() throws Exception {
        try (Connection c = connect()) {
            StringBuilder rows = new StringBuilder();
            for (long id = 1; id <= 20; id++) {
                rows.append(id).append(",item").append(id).append('\n');
            }
            assertEquals(20, copyManager(c).copyIn("COPY cp_items FROM STDIN WITH (FORMAT csv)",
                    new StringReader(rows.toString())));
            assertEquals(2, shardsHoldingRows(), "the rows went to both shards");

            List<String> lines = copyOut(c, "COPY cp_items TO STDOUT WITH (FORMAT csv, HEADER)").lines().toList();
            assertEquals("id,name", lines.get(0));
            assertEquals(1, lines.stream().filter("id,name"::equals).count(), String.join("\n", lines));
            assertEquals(21, lines.size(), "the header and each row once");
        }
    }

    /** How many shards hold cp_items rows, counted directly on the primaries. */
    static int shardsHoldingRows() throws SQLException {
        int holding = 0;
        for (int s = 0; s < TestDatabases.SHARD_COUNT; s++) {
            try (Connection c = db.connectShard(s, Role.PRIMARY); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM cp_items")) {
                rs.next();
                holding += rs.getLong(1) > 0 ? 1 : 0;
            }
        }
        return holding;
    }

    @Test
    void aReferenceTableIsCopiedOutOnce() throws Exception {
        try (Connection c = connect()) {
            List<String> lines = copyOut(c, "COPY cp_countries TO STDOUT").lines().sorted().toList();
            assertEquals(List.of("de\tGermany", "fr\tFrance", "it\tItaly"), lines);
        }
    }

    @Test
    void binaryCopyOfAShardedTableIsRefusedAndTheSessionStaysUsable() throws Exception {
        try (Connection c = connect()) {
            CopyManager copy = copyManager(c);
            SQLException out = assertThrows(SQLException.class,
                    () -> copy.copyOut("COPY cp_items TO STDOUT (FORMAT binary)", new ByteArrayOutputStream()));
            assertEquals("0A000", out.getSQLState(), out.getMessage());
            // the stream's content does not matter: the proxy must refuse before any row is read
            SQLException in = assertThrows(SQLException.class, () -> copy.copyIn(
                    "COPY cp_items FROM STDIN (FORMAT binary)", new ByteArrayInputStream(new byte[0])));
            assertEquals("0A000", in.getSQLState(), in.getMessage());
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 5")) {
                assertTrue(rs.next());
                assertEquals(5, rs.getInt(1));
            }
        }
    }

    @Test
    void readsRightAfterCopyIntoAnUnshardedTableSeeItsRows() throws Exception {
        try (Connection c = connect()) {
            assertEquals(3, copyManager(c).copyIn("COPY cp_notes FROM STDIN",
                    new StringReader("1\tfirst\n2\tsecond\n3\tthird\n")));
            // round-robin over the replica: several reads, any of which could have gone there
            for (int i = 0; i < 4; i++) {
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("EXPLAIN ROUTE SELECT count(*) FROM cp_notes")) {
                    assertTrue(rs.next());
                    assertEquals("primary", rs.getString("role"), "read " + i + " after COPY FROM");
                }
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT count(*) FROM cp_notes")) {
                    assertTrue(rs.next());
                    assertEquals(3, rs.getLong(1), "read " + i + " after COPY FROM");
                }
            }
        }
    }

    @Test
    void largeObjectsWriteAndReadBackInATransaction() throws Exception {
        byte[] data = "shardgate large object ".repeat(500).getBytes(StandardCharsets.UTF_8);
        try (Connection c = connect()) {
            c.setAutoCommit(false); // large objects live in a transaction
            LargeObjectManager lom = c.unwrap(PGConnection.class).getLargeObjectAPI();
            long oid = lom.createLO(LargeObjectManager.READWRITE);
            try (LargeObject lo = lom.open(oid, LargeObjectManager.WRITE)) {
                lo.write(data);
            }
            c.commit();
            try (LargeObject lo = lom.open(oid, LargeObjectManager.READ)) {
                assertEquals(data.length, lo.size());
                assertArrayEquals(data, lo.read(data.length));
            }
            lom.delete(oid);
            c.commit();
            c.setAutoCommit(true);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 6")) {
                assertTrue(rs.next());
                assertEquals(6, rs.getInt(1), "the connection stays usable");
            }
        }
    }
}
