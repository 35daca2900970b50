package io.shardgate.it.proxy;

import io.shardgate.config.ConfigLoader;
import io.shardgate.it.fixture.Role;
import io.shardgate.it.fixture.TestDatabases;
import io.shardgate.proxy.ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proxy end to end: pgjdbc and psql through shardgate onto the fixture's two real PostgreSQL shards, each
 * checked directly afterwards.
 */
class ProxyIT {
    static final String RULES = """
            rules:
              px-by-user: { type: hash, shards: [s0, s1] }
            tables:
              px_users:  { rule: px-by-user, key: id }
              px_orders: { rule: px-by-user, key: user_id }
            """;
    static TestDatabases db;
    static ProxyServer proxy;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabases.get();
        String yaml = db.postgresConfigYaml(RULES, """
                default-shard: s0
                read-write: { balancer: round-robin, max-replica-lag: 2s, read-your-writes: 60s }
                pool: { maximum-size: 4, connection-timeout: 2s }
                proxy:
                  listen: 127.0.0.1:0
                  pool-mode: transaction
                  auth: scram-sha-256
                  users: { app: { password: s3cret }, md5user: { password: other } }
                """);
        Path cfg = db.writeConfig(yaml);
        proxy = new ProxyServer(ConfigLoader.load(cfg)).start();
        port = proxy.port();
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS px_users");
            st.execute("DROP TABLE IF EXISTS px_orders");
            st.execute("CREATE TABLE px_users (id bigint primary key, name text, score int, joined timestamp)");
            st.execute("CREATE TABLE px_orders (id bigint, user_id bigint, amount numeric(12,2), primary key (user_id, id))");
        }
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    static Connection connect() throws SQLException {
        return connect(new Properties());
    }

    static Connection connect(Properties extra) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "app");
        p.setProperty("password", "s3cret");
        p.putAll(extra);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/app", p);
    }

    /** Where EXPLAIN ROUTE through the proxy says a statement goes: shard names. */
    static List<String> explainShards(Connection c, String sql) throws SQLException {
        List<String> shards = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("EXPLAIN ROUTE " + sql)) {
            assertEquals("shard", rs.getMetaData().getColumnName(1));
            assertEquals("sql", rs.getMetaData().getColumnName(4));
            while (rs.next()) {
                shards.add(rs.getString("shard"));
            }
        }
        return shards;
    }

    static List<Long> idsOnShard(int shard, String table, String column) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = db.connectShard(shard, Role.PRIMARY); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + column + " FROM " + table + " ORDER BY 1")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    @Test
    void rowsLandWhereExplainRouteSaysAndMergedReadsAreRight() throws Exception {
        Map<Long, String> expectedShard = new HashMap<>();
        try (Connection c = connect()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO px_users (id, name, score, joined) VALUES (?, ?, ?, ?)")) {
                for (long id = 1; id <= 40; id++) {
                    ps.setLong(1, id);
                    ps.setString(2, "user" + id);
                    ps.setInt(3, (int) (id * 7 % 23));
                    ps.setTimestamp(4, java.sql.Timestamp.valueOf("2024-01-01 10:00:00").toInstant()
                            .plusSeconds(id * 3600).equals(null) ? null
                            : java.sql.Timestamp.valueOf(java.time.LocalDateTime.of(2024, 1, 1, 10, 0).plusHours(id)));
                    assertEquals(1, ps.executeUpdate());
                    List<String> shards = explainShards(c, "SELECT * FROM px_users WHERE id = " + id);
                    assertEquals(1, shards.size());
                    expectedShard.put(id, shards.get(0));
                }
            }
            int[] perShard = new int[2];
            for (int s = 0; s < 2; s++) {
                for (long id : idsOnShard(s, "px_users", "id")) {
                    if (id <= 40) { // other tests add rows of their own
                        assertEquals("s" + s, expectedShard.get(id), "row " + id + " found on shard s" + s);
                        perShard[s]++;
                    }
                }
            }
            assertEquals(40, perShard[0] + perShard[1]);
            assertTrue(perShard[0] > 0 && perShard[1] > 0, "both shards hold rows");

            // multi-shard merges, simple and extended protocol
            try (Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT count(*), sum(score), min(id), max(id) FROM px_users WHERE id <= 40")) {
                    assertTrue(rs.next());
                    assertEquals(40, rs.getLong(1));
                    long sum = 0;
                    for (long id = 1; id <= 40; id++) {
                        sum += id * 7 % 23;
                    }
                    assertEquals(sum, rs.getLong(2));
                    assertEquals(1, rs.getLong(3));
                    assertEquals(40, rs.getLong(4));
                }
                try (ResultSet rs = st.executeQuery("SELECT id, name FROM px_users WHERE id <= 40 ORDER BY id DESC LIMIT 5 OFFSET 2")) {
                    for (long id = 38; id >= 34; id--) {
                        assertTrue(rs.next());
                        assertEquals(id, rs.getLong(1));
                        assertEquals("user" + id, rs.getString(2));
                    }
                    assertFalse(rs.next());
                }
                try (ResultSet rs = st.executeQuery(
                        "SELECT score, count(*) FROM px_users WHERE id <= 40 GROUP BY score ORDER BY score")) {
                    TreeMap<Integer, Integer> expected = new TreeMap<>();
                    for (long id = 1; id <= 40; id++) {
                        expected.merge((int) (id * 7 % 23), 1, Integer::sum);
                    }
                    for (Map.Entry<Integer, Integer> e : expected.entrySet()) {
                        assertTrue(rs.next());
                        assertEquals(e.getKey(), rs.getInt(1));
                        assertEquals(e.getValue(), rs.getInt(2));
                    }
                    assertFalse(rs.next());
                }
            }
            // avg() merged from the shards prints as PostgreSQL prints it (scale and all); of floats it is a double
            StringBuilder scores = new StringBuilder();
            for (long id = 1; id <= 40; id++) {
                scores.append(id == 1 ? "" : ",").append(id * 7 % 23);
            }
            String expectedAvg;
            try (Connection direct = db.connectShard(0, Role.PRIMARY); Statement st = direct.createStatement();
                 ResultSet rs = st.executeQuery("SELECT avg(v) FROM unnest(ARRAY[" + scores + "]) v")) {
                rs.next();
                expectedAvg = rs.getString(1);
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT avg(score), avg(score::float8) FROM px_users WHERE id <= 40")) {
                assertTrue(rs.next());
                assertEquals(expectedAvg, rs.getString(1));
                assertEquals(java.sql.Types.DOUBLE, rs.getMetaData().getColumnType(2));
                assertEquals(new BigDecimal(expectedAvg).doubleValue(), rs.getDouble(2), 1e-9);
            }
            // node-postgres' count(*)::int and coalesce(sum(x), 0): merged like the bare aggregates, keeping the
            // cast's column type; past prepareThreshold the merged values go back in binary
            long scoreSum = 0;
            for (long id = 1; id <= 40; id++) {
                scoreSum += id * 7 % 23;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*)::int AS n, coalesce(sum(score), 0)::numeric, "
                    + "max(id)::float8, coalesce(sum(score), 0), round(avg(score), 2) FROM px_users WHERE id <= ? AND name LIKE ?")) {
                for (int round = 0; round < 7; round++) {
                    ps.setLong(1, round == 6 ? 0 : 40);
                    ps.setString(2, "user%");
                    try (ResultSet rs = ps.executeQuery()) {
                        assertTrue(rs.next());
                        assertEquals(java.sql.Types.INTEGER, rs.getMetaData().getColumnType(1));
                        assertEquals(round == 6 ? 0 : 40, rs.getInt(1), "round " + round);
                        assertEquals(round == 6 ? 0 : scoreSum, rs.getBigDecimal(2).longValueExact());
                        assertEquals(round == 6 ? 0.0 : 40.0, rs.getDouble(3));
                        assertEquals(round == 6 ? 0 : scoreSum, rs.getLong(4));
                        assertEquals(round == 6 ? null : BigDecimal.valueOf(scoreSum).divide(BigDecimal.valueOf(40), 2,
                                java.math.RoundingMode.HALF_UP), rs.getBigDecimal(5));
                        assertFalse(rs.next());
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, joined FROM px_users WHERE id IN (?, ?, ?) ORDER BY id")) {
                for (int round = 0; round < 8; round++) { // past prepareThreshold: named statements, binary results
                    ps.setLong(1, 3);
                    ps.setLong(2, 4);
                    ps.setLong(3, 5 + round);
                    try (ResultSet rs = ps.executeQuery()) {
                        long[] want = {3, 4, 5 + round};
                        java.util.Arrays.sort(want);
                        for (long id : want) {
                            assertTrue(rs.next(), "round " + round);
                            assertEquals(id, rs.getLong(1));
                            assertEquals(java.time.LocalDateTime.of(2024, 1, 1, 10, 0).plusHours(id),
                                    rs.getTimestamp(2).toLocalDateTime());
                        }
                        assertFalse(rs.next());
                    }
                }
            }
        }
    }

    @Test
    void preparedStatementsKeepWorkingInTransactionPooling() throws Exception {
        List<Connection> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) { // more clients than the pool (4 per database) has connections
                clients.add(connect());
            }
            for (int round = 0; round < 10; round++) {
                for (int i = 0; i < clients.size(); i++) {
                    long id = 1000 + i * 100 + round;
                    try (PreparedStatement ins = clients.get(i).prepareStatement(
                            "INSERT INTO px_orders (id, user_id, amount) VALUES (?, ?, ?)")) {
                        ins.setLong(1, id);
                        ins.setLong(2, i + 1);
                        ins.setBigDecimal(3, new BigDecimal("1.25"));
                        assertEquals(1, ins.executeUpdate());
                    }
                    try (PreparedStatement q = clients.get(i).prepareStatement(
                            "SELECT amount FROM px_orders WHERE user_id = ? AND id = ?")) {
                        q.setLong(1, i + 1);
                        q.setLong(2, id);
                        try (ResultSet rs = q.executeQuery()) {
                            assertTrue(rs.next());
                            assertEquals(new BigDecimal("1.25"), rs.getBigDecimal(1));
                        }
                    }
                }
            }
            try (Statement st = clients.get(0).createStatement();
                 ResultSet rs = st.executeQuery("SELECT sum(amount), count(*) FROM px_orders WHERE id >= 1000")) {
                assertTrue(rs.next());
                assertEquals(0, new BigDecimal("75.00").compareTo(rs.getBigDecimal(1)));
                assertEquals(60, rs.getLong(2));
            }
        } finally {
            for (Connection c : clients) {
                c.close();
            }
        }
    }

    @Test
    void keyEqualsAnyArrayParameterWritesOnTheKeysShards() throws Exception {
        try (Connection c = connect()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO px_users (id, name) VALUES (?, ?)")) {
                for (long id = 7001; id <= 7008; id++) {
                    ps.setLong(1, id);
                    ps.setString(2, "any" + id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            // text array (setArray), then binary primitive arrays (setObject(long[])) past prepareThreshold
            try (PreparedStatement ps = c.prepareStatement("UPDATE px_users SET name = 'renamed' WHERE id = ANY(?)")) {
                ps.setArray(1, c.createArrayOf("bigint", new Long[] {7001L, 7002L}));
                assertEquals(2, ps.executeUpdate());
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM px_users WHERE id = ANY(?)")) {
                for (int round = 0; round < 6; round++) {
                    ps.setObject(1, new long[] {7003L + round});
                    assertEquals(1, ps.executeUpdate(), "round " + round);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id, name FROM px_users WHERE id = ANY(?) ORDER BY id")) {
                ps.setArray(1, c.createArrayOf("bigint", new Long[] {7001L, 7002L, 7003L, 7009L}));
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(7001, rs.getLong(1));
                    assertEquals("renamed", rs.getString(2));
                    assertTrue(rs.next());
                    assertEquals(7002, rs.getLong(1));
                    assertFalse(rs.next());
                }
            }
            List<Long> left = new ArrayList<>();
            for (int shard = 0; shard < 2; shard++) {
                for (long id : idsOnShard(shard, "px_users", "id")) {
                    if (id > 7000 && id < 7100) {
                        left.add(id);
                    }
                }
            }
            left.sort(null);
            assertEquals(List.of(7001L, 7002L), left);
            // one key's array: the plan names one shard
            assertEquals(1, explainShards(c, "DELETE FROM px_users WHERE id = ANY('{7001}')").size());
        }
    }

    @Test
    void aRewrittenBatchFailingOnOneShardReportsTheErrorWithoutHanging() throws Exception {
        Properties p = new Properties();
        p.setProperty("reWriteBatchedInserts", "true");
        p.setProperty("socketTimeout", "20");
        long existing = -1;
        long fresh = -1;
        try (Connection c = connect(p)) {
            // two ids on different shards: one already there (the duplicate), one new
            for (long id = 8101; id < 8200 && (existing < 0 || fresh < 0); id++) {
                String shard = explainShards(c, "SELECT * FROM px_users WHERE id = " + id).get(0);
                if (existing < 0 && shard.equals("s0")) {
                    existing = id;
                } else if (fresh < 0 && shard.equals("s1")) {
                    fresh = id;
                }
            }
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO px_users (id, name) VALUES (" + existing + ", 'first')");
            }
            for (int round = 0; round < 3; round++) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO px_users (id, name) VALUES (?, ?)")) {
                    for (long id : new long[] {fresh, existing}) {
                        ps.setLong(1, id);
                        ps.setString(2, "batch");
                        ps.addBatch();
                    }
                    SQLException e = assertThrows(SQLException.class, ps::executeBatch, "round " + round);
                    assertTrue(e.getMessage().contains("duplicate key") || e.getNextException() != null, e.toString());
                }
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 5")) {
                    assertTrue(rs.next(), "the connection goes on after round " + round);
                }
            }
        }
    }

    @Test
    void transactionsSpanShardsAndRollBack() throws Exception {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO px_users (id, name, score) VALUES (?, ?, 0)")) {
                for (long id = 500; id < 510; id++) {
                    ps.setLong(1, id);
                    ps.setString(2, "tx" + id);
                    ps.executeUpdate();
                }
            }
            c.rollback();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM px_users WHERE id BETWEEN 500 AND 509")) {
                rs.next();
                assertEquals(0, rs.getLong(1));
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO px_users (id, name, score) VALUES (?, ?, 0)")) {
                for (long id = 500; id < 510; id++) {
                    ps.setLong(1, id);
                    ps.setString(2, "tx" + id);
                    ps.executeUpdate();
                }
            }
            c.commit();
        }
        int found = 0;
        for (int s = 0; s < 2; s++) {
            for (long id : idsOnShard(s, "px_users", "id")) {
                if (id >= 500 && id < 510) {
                    found++;
                }
            }
        }
        assertEquals(10, found);
    }

    @Test
    void errorsLeaveTheSessionUsable() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> st.executeQuery("SELECT 1/0"));
            assertEquals("22012", e.getSQLState());
            e = assertThrows(SQLException.class, () -> st.executeUpdate("UPDATE px_users SET score = 1"));
            assertTrue(e.getMessage().contains("px_users"), e.getMessage());
            try (ResultSet rs = st.executeQuery("SELECT 42")) {
                rs.next();
                assertEquals(42, rs.getInt(1));
            }
            // a write hidden in a WITH is refused, not run on every shard the read goes to
            e = assertThrows(SQLException.class, () -> st.executeQuery(
                    "WITH x AS (INSERT INTO px_users (id, name) VALUES (6318, 'cte') RETURNING id) SELECT * FROM x"));
            assertTrue(e.getMessage().contains("CTE writes"), e.getMessage());
            for (int shard = 0; shard < 2; shard++) {
                assertFalse(idsOnShard(shard, "px_users", "id").contains(6318L), "no row written on s" + shard);
            }
            // a statement on every shard whose Bind each shard refuses: the error comes back, no hang
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM px_users WHERE score = ? ORDER BY id")) {
                ps.setObject(1, "not a number", java.sql.Types.OTHER);
                e = assertThrows(SQLException.class, ps::executeQuery);
                assertEquals("22P02", e.getSQLState(), e.getMessage());
            }
            try (ResultSet rs = st.executeQuery("SELECT 43")) {
                rs.next();
                assertEquals(43, rs.getInt(1));
            }
            c.setAutoCommit(false);
            assertThrows(SQLException.class, () -> st.executeQuery("SELECT * FROM px_no_such_table"));
            e = assertThrows(SQLException.class, () -> st.executeQuery("SELECT 1"));
            assertEquals("25P02", e.getSQLState());
            c.rollback();
            try (ResultSet rs = st.executeQuery("SELECT 7")) {
                rs.next();
                assertEquals(7, rs.getInt(1));
            }
        }
    }

    @Test
    void copySplitsRowsByKeyAndGathersThemBack() throws Exception {
        try (Connection c = connect()) {
            org.postgresql.copy.CopyManager copy = new org.postgresql.copy.CopyManager(
                    c.unwrap(org.postgresql.core.BaseConnection.class));
            StringBuilder text = new StringBuilder();
            for (long id = 3000; id < 3050; id++) {
                text.append(id).append('\t').append("copy").append(id).append("\t1\t\\N\n");
            }
            assertEquals(50, copy.copyIn("COPY px_users FROM STDIN", new java.io.StringReader(text.toString())));
            String csv = "id,name\n3050,\"a,b\"\n3051,c\n";
            assertEquals(2, copy.copyIn("COPY px_users (id, name) FROM STDIN WITH (FORMAT csv, HEADER)",
                    new java.io.StringReader(csv)));
            for (int s = 0; s < 2; s++) {
                for (long id : idsOnShard(s, "px_users", "id")) {
                    if (id >= 3000 && id <= 3051) {
                        assertEquals(List.of("s" + s), explainShards(c, "SELECT * FROM px_users WHERE id = " + id));
                    }
                }
            }
            java.io.StringWriter out = new java.io.StringWriter();
            copy.copyOut("COPY px_users TO STDOUT", out);
            long copied = out.toString().lines().filter(l -> l.startsWith("30")).count();
            assertEquals(52, copied);
            SQLException e = assertThrows(SQLException.class, () -> copy.copyIn(
                    "COPY px_users (name) FROM STDIN", new java.io.StringReader("x\n")));
            assertTrue(e.getMessage().contains("shard key id"), e.getMessage());
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM px_users WHERE id BETWEEN 3000 AND 3051")) {
                rs.next();
                assertEquals(52, rs.getLong(1));
            }
        }
    }

    @Test
    void wrongPasswordIsRefused() {
        Properties p = new Properties();
        p.setProperty("password", "wrong");
        SQLException e = assertThrows(SQLException.class, () -> connect(p));
        assertEquals("28P01", e.getSQLState());
        Properties u = new Properties();
        u.setProperty("user", "nobody");
        e = assertThrows(SQLException.class, () -> connect(u));
        assertEquals("28P01", e.getSQLState());
    }

    @Test
    void garbageBytesCloseOnlyThatConnection() throws Exception {
        byte[][] garbage = {
                "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                {0, 0, 0, 8, 0, 0, 0, 0},                       // startup packet with protocol 0.0
                {0, 0, 0, 2},                                   // length below the minimum
        };
        for (byte[] g : garbage) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write(g);
                out.flush();
                InputStream in = s.getInputStream();
                byte[] buf = new byte[4096];
                int n = in.read(buf);
                if (n > 0) {
                    assertEquals('E', buf[0], "an ErrorResponse");
                    assertTrue(new String(buf, 0, n, StandardCharsets.UTF_8).contains("08P01"));
                }
            }
        }
        // a logged-in client sending a frame with a broken length
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
            assertTrue(rs.next());
        }
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 2")) {
            assertTrue(rs.next());
            assertEquals(2, rs.getInt(1));
        }
    }

    @Test
    void psqlWorksThroughTheProxy() throws Exception {
        Path psql = Path.of("/usr/bin/psql");
        if (!Files.isExecutable(psql)) {
            return;
        }
        String out = runPsql("SELECT count(*) FROM px_users WHERE id <= 40; EXPLAIN ROUTE SELECT * FROM px_users WHERE id = 7");
        assertTrue(out.contains("40"), out);
        assertTrue(out.contains("px_users WHERE id = 7"), out);
        String dt = runPsql("\\dt px_*");
        assertTrue(dt.contains("px_users"), dt);
        ProcessBuilder wrong = new ProcessBuilder("psql", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "app",
                "-d", "app", "-c", "SELECT 1").redirectErrorStream(true);
        wrong.environment().put("PGPASSWORD", "nope");
        Process p = wrong.start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(p.exitValue() != 0 && text.contains("password authentication failed"), text);
    }

    private static String runPsql(String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("psql", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "app",
                "-d", "app", "-X", "-c", command).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", "s3cret");
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "psql finished");
        assertEquals(0, p.exitValue(), text);
        return text;
    }
}
