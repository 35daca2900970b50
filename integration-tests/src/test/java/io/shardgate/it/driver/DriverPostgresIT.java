package io.shardgate.it.driver;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.shardgate.it.fixture.Role;
import io.shardgate.it.fixture.TestDatabases;
import io.shardgate.jdbc.ShardgateConnection;
import io.shardgate.jdbc.ShardgateDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JDBC driver end to end over the shared PostgreSQL fixture (two shards, primary + streaming replica each):
 * every test goes through {@code DriverManager.getConnection("jdbc:shardgate:" + config)} and checks the physical
 * databases directly.
 */
class DriverPostgresIT {
    private static final String RULES = """
            rules:
              drv-by-id: { type: hash, shards: [s0, s1] }
            tables:
              drv_items: { rule: drv-by-id, key: id }
              drv_orders: { rule: drv-by-id, key: id, generated-key: id }
              drv_ref: { reference: true }
              drv_log: { shard: s1 }
              drv_deferred: { shard: s1 }
            """;
    private static final String TAIL = """
            default-shard: s0
            read-write: { balancer: round-robin, max-replica-lag: 30s, read-your-writes: 1s, health-check-interval: 200ms }
            pool: { maximum-size: 8, connection-timeout: 3s }
            """;
    private static final AtomicLong IDS = new AtomicLong(1000);

    static TestDatabases db;
    static Path config;
    static String url;

    @BeforeAll
    static void setUp() throws Exception {
        db = TestDatabases.get();
        config = db.writeConfig(db.postgresConfigYaml(RULES, TAIL));
        url = "jdbc:shardgate:" + config;
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String t : List.of("drv_items", "drv_orders", "drv_ref", "drv_log", "drv_deferred")) {
                s.execute("DROP TABLE IF EXISTS " + t);
            }
            s.execute("CREATE TABLE drv_items (id BIGINT PRIMARY KEY, name TEXT, amount NUMERIC(12,2), "
                    + "created TIMESTAMP)");
            s.execute("CREATE TABLE drv_orders (id BIGINT PRIMARY KEY, item TEXT)");
            s.execute("CREATE TABLE drv_ref (code TEXT PRIMARY KEY, label TEXT)");
            s.execute("CREATE TABLE drv_log (id BIGSERIAL PRIMARY KEY, msg TEXT)");
            s.execute("CREATE TABLE drv_deferred (k INT, CONSTRAINT drv_deferred_k UNIQUE (k) "
                    + "DEFERRABLE INITIALLY DEFERRED)");
        }
        db.waitForReplicaCatchUp();
    }

    @AfterAll
    static void tearDown() throws SQLException {
        ShardgateDriver.shutdown(config.toString());
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    static long newId() {
        return IDS.incrementAndGet();
    }

    /** The shard EXPLAIN ROUTE names for a read of drv_items by key. */
    static List<String> explain(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN ROUTE " + sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                assertEquals("shard", rs.getMetaData().getColumnLabel(1));
                assertEquals(4, rs.getMetaData().getColumnCount());
                List<String> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(rs.getString("shard") + " " + rs.getString("role") + " " + rs.getString("database"));
                }
                return rows;
            }
        }
    }

    static int shardIndex(String shard) {
        return Integer.parseInt(shard.substring(1));
    }

    /** Counts rows matching {@code where} on a physical primary. */
    static long physicalCount(int shard, String table, String where) throws SQLException {
        try (Connection c = db.connectShard(shard, Role.PRIMARY); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table + (where == null ? "" : " WHERE " + where))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void singleShardRowsLandWhereExplainRouteSays() throws SQLException {
        try (Connection c = connect()) {
            Set<String> shardsUsed = new HashSet<>();
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO drv_items (id, name, amount, created) VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < 16; i++) {
                    long id = newId();
                    ids.add(id);
                    ins.setLong(1, id);
                    ins.setString(2, "item-" + id);
                    ins.setBigDecimal(3, new BigDecimal("10.25"));
                    ins.setTimestamp(4, Timestamp.valueOf("2024-05-01 12:00:00"));
                    assertEquals(1, ins.executeUpdate());
                }
            }
            for (long id : ids) {
                List<String> route = explain(c, "SELECT name FROM drv_items WHERE id = ?", id);
                assertEquals(1, route.size(), route.toString());
                String shard = route.get(0).split(" ")[0];
                shardsUsed.add(shard);
                int here = shardIndex(shard);
                assertEquals(1, physicalCount(here, "drv_items", "id = " + id), "row " + id + " on " + shard);
                assertEquals(0, physicalCount(1 - here, "drv_items", "id = " + id), "row " + id + " not elsewhere");
                try (PreparedStatement q = c.prepareStatement(
                        "SELECT id, name, amount, created FROM drv_items WHERE id = ?")) {
                    q.setLong(1, id);
                    try (ResultSet rs = q.executeQuery()) {
                        assertTrue(rs.next());
                        assertEquals(id, rs.getLong("ID"));
                        assertEquals("item-" + id, rs.getString(2));
                        assertEquals(new BigDecimal("10.25"), rs.getBigDecimal("amount"));
                        assertEquals(Timestamp.valueOf("2024-05-01 12:00:00"), rs.getTimestamp(4));
                        assertFalse(rs.next());
                        assertTrue(rs.getStatement() == q, "getStatement() is the logical statement");
                    }
                }
            }
            assertEquals(Set.of("s0", "s1"), shardsUsed, "16 keys spread over both shards");
        }
    }

    @Test
    void crossShardSelectIsMergedAndAggregated() throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ins = c.prepareStatement(
                "INSERT INTO drv_orders (id, item) VALUES (?, ?)")) {
            for (int i = 0; i < 10; i++) {
                long id = newId();
                ids.add(id);
                ins.setLong(1, id);
                ins.setString(2, "merge");
                ins.executeUpdate();
            }
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id FROM drv_orders WHERE item = 'merge' ORDER BY id DESC")) {
                assertEquals(1, rs.getMetaData().getColumnCount());
                List<Long> got = new ArrayList<>();
                while (rs.next()) {
                    got.add(rs.getLong(1));
                }
                List<Long> expected = new ArrayList<>(ids);
                expected.sort((a, b) -> Long.compare(b, a));
                assertEquals(expected, got);
            }
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) AS n FROM drv_orders WHERE item = 'merge'")) {
                assertTrue(rs.next());
                assertEquals(10, rs.getInt("n"));
                assertFalse(rs.next());
            }
            assertEquals(10, physicalCount(0, "drv_orders", "item = 'merge'")
                    + physicalCount(1, "drv_orders", "item = 'merge'"));
        }
    }

    @Test
    void referenceTableWriteGoesEverywhereAndCountsOnce() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertEquals(1, s.executeUpdate("INSERT INTO drv_ref (code, label) VALUES ('eur', 'Euro')"));
            assertEquals(1, physicalCount(0, "drv_ref", "code = 'eur'"));
            assertEquals(1, physicalCount(1, "drv_ref", "code = 'eur'"));
        }
    }

    @Test
    void replicaReadsHitTheReplica() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            c.unwrap(ShardgateConnection.class).runtime().topology().states().values()
                    .forEach(st -> assertNotNull(st.name()));
            try (ResultSet rs = s.executeQuery("SELECT inet_server_port(), pg_is_in_recovery()")) {
                assertTrue(rs.next());
                assertEquals(db.shard(0).replicaPorts().get(0), rs.getInt(1), "a plain read goes to s0's replica");
                assertTrue(rs.getBoolean(2));
            }
        }
    }

    @Test
    void readYourWritesAcrossConnections() throws Exception {
        long id = newId();
        try (Connection writer = connect(); Connection reader = connect()) {
            List<String> route = explain(reader, "SELECT name FROM drv_items WHERE id = ?", id);
            int shard = shardIndex(route.get(0).split(" ")[0]);
            try (PreparedStatement ins = writer.prepareStatement("INSERT INTO drv_items (id, name) VALUES (?, ?)")) {
                ins.setLong(1, id);
                ins.setString(2, "ryw");
                ins.executeUpdate();
            }
            try (PreparedStatement q = reader.prepareStatement(
                    "SELECT name, inet_server_port() FROM drv_items WHERE id = ?")) {
                q.setLong(1, id);
                try (ResultSet rs = q.executeQuery()) {
                    assertTrue(rs.next(), "the row written a moment ago on another connection is visible");
                    assertEquals("ryw", rs.getString(1));
                    assertEquals(db.shard(shard).primaryPort(), rs.getInt(2), "read-your-writes: primary");
                }
                Thread.sleep(1300); // past the 1s window
                db.waitForReplicaCatchUp();
                try (ResultSet rs = q.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(db.shard(shard).replicaPorts().get(0), rs.getInt(2), "after the window: replica");
                }
            }
        }
    }

    @Test
    void keyEqualsAnyArrayRoutesToTheKeysShards() throws SQLException {
        long a = newId();
        long b = newId();
        long other = newId();
        try (Connection c = DriverManager.getConnection(url)) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO drv_items (id, name) VALUES (?, 'any')")) {
                for (long id : new long[] {a, b, other}) {
                    ps.setLong(1, id);
                    ps.executeUpdate();
                }
            }
            // a write by key = ANY(?) was refused as a write to every shard
            try (PreparedStatement ps = c.prepareStatement("UPDATE drv_items SET name = 'both' WHERE id = ANY(?)")) {
                ps.setArray(1, c.createArrayOf("bigint", new Long[] {a, b}));
                assertEquals(2, ps.executeUpdate());
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM drv_items WHERE id = ANY(?)")) {
                ps.setObject(1, new long[] {a});
                assertEquals(1, ps.executeUpdate());
            }
            assertEquals(List.of(explain(c, "SELECT * FROM drv_items WHERE id = ?", b).get(0)),
                    explain(c, "SELECT * FROM drv_items WHERE id = ANY(ARRAY[" + b + "])"));
        }
        long both = 0;
        long gone = 0;
        for (int s = 0; s < 2; s++) {
            both += physicalCount(s, "drv_items", "id = " + b + " AND name = 'both'");
            gone += physicalCount(s, "drv_items", "id = " + a);
            assertEquals(0, physicalCount(s, "drv_items", "id = " + other + " AND name <> 'any'"));
        }
        assertEquals(1, both);
        assertEquals(0, gone);
    }

    @Test
    void transactionsAcrossShardsCommitAndRollBack() throws SQLException {
        long[] ids = twoIdsOnDifferentShards();
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            insert(c, ids[0], "tx");
            insert(c, ids[1], "tx");
            c.rollback();
            assertEquals(0, countBoth(ids));
            insert(c, ids[0], "tx");
            insert(c, ids[1], "tx");
            // inside the transaction our own rows are visible (read on the primaries of the transaction)
            try (PreparedStatement q = c.prepareStatement("SELECT count(*) FROM drv_items WHERE id IN (?, ?)")) {
                q.setLong(1, ids[0]);
                q.setLong(2, ids[1]);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    assertEquals(2, rs.getLong(1));
                }
            }
            assertEquals(0, countBoth(ids), "not visible outside before commit");
            c.commit();
            assertEquals(2, countBoth(ids));
            c.setAutoCommit(true);
        }
    }

    @Test
    void transactionControlAsSqlText() throws SQLException {
        long[] ids = twoIdsOnDifferentShards();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("BEGIN");
            insert(c, ids[0], "text-tx");
            insert(c, ids[1], "text-tx");
            s.execute("ROLLBACK");
            assertEquals(0, countBoth(ids));
            s.execute("START TRANSACTION");
            insert(c, ids[0], "text-tx");
            s.execute("SAVEPOINT before_second");
            insert(c, ids[1], "text-tx");
            s.execute("ROLLBACK TO SAVEPOINT before_second");
            s.execute("COMMIT");
            assertEquals(1, physicalCount(shardOf(c, ids[0]), "drv_items", "id = " + ids[0]));
            assertEquals(0, countBoth(new long[] {ids[1]}));
            assertTrue(c.getAutoCommit(), "back in autocommit after COMMIT");
        }
    }

    @Test
    void failedCommitSaysWhichShardsCommitted() throws SQLException {
        long[] ids = twoIdsOnDifferentShards();
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            insert(c, ids[0], "partial"); // s0 commits first (configuration order)
            try (Statement s = c.createStatement()) {
                // a deferred unique constraint fails only at commit, on s1
                s.executeUpdate("INSERT INTO drv_deferred (k) VALUES (1)");
                s.executeUpdate("INSERT INTO drv_deferred (k) VALUES (1)");
            }
            SQLException e = assertThrows(SQLException.class, c::commit);
            assertEquals("23505", e.getSQLState());
            String m = e.getMessage();
            assertTrue(m.startsWith("[shard s1/s1-primary] commit failed"), m);
            assertTrue(m.contains("committed: [s0/s0-primary]"), m);
            assertTrue(m.contains("not committed: s1/s1-primary"), m);
            assertEquals(1, physicalCount(0, "drv_items", "id = " + ids[0]), "s0 did commit");
            assertEquals(0, physicalCount(1, "drv_deferred", null));
            // the connection goes on: a new transaction works
            insert(c, ids[1], "after");
            c.commit();
            assertEquals(1, physicalCount(1, "drv_items", "id = " + ids[1]));
        }
    }

    @Test
    void multiShardWriteInAutocommitIsAllOrNothing() throws SQLException {
        long[] ids = twoIdsOnDifferentShards();
        try (Connection c = connect()) {
            insert(c, ids[1], "existing");
            long fresh = newId();
            while (shardOf(c, fresh) != 0) {
                fresh = newId();
            }
            String sql = "INSERT INTO drv_items (id, name) VALUES (?, 'new'), (?, 'dup')";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, fresh);
                ps.setLong(2, ids[1]);
                SQLException e = assertThrows(SQLException.class, ps::executeUpdate);
                assertEquals("23505", e.getSQLState());
            }
            assertEquals(0, physicalCount(0, "drv_items", "id = " + fresh), "the s0 row was rolled back");
            assertTrue(c.getAutoCommit());
            long other = newId();
            while (shardOf(c, other) != 1) {
                other = newId();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO drv_items (id, name) VALUES (?, 'both'), (?, 'both') RETURNING id")) {
                ps.setLong(1, fresh);
                ps.setLong(2, other);
                try (ResultSet rs = ps.executeQuery()) {
                    Set<Long> returned = new HashSet<>();
                    while (rs.next()) {
                        returned.add(rs.getLong("id"));
                    }
                    assertEquals(Set.of(fresh, other), returned);
                }
            }
            assertEquals(1, physicalCount(0, "drv_items", "id = " + fresh));
            assertEquals(1, physicalCount(1, "drv_items", "id = " + other));
        }
    }

    @Test
    void fetchSizeStreamsAndLeavesThePoolInAutocommit() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.setFetchSize(3);
            try (ResultSet rs = s.executeQuery("SELECT g FROM generate_series(1, 20) g")) {
                int n = 0;
                while (rs.next()) {
                    n++;
                    assertEquals(n, rs.getInt(1));
                }
                assertEquals(20, n);
            }
            long id = newId();
            insert(c, id, "after-fetch"); // autocommit again: visible from outside at once
            assertEquals(1, countBoth(new long[] {id}));
        }
    }

    @Test
    void savepointsCoverShardsThatJoinLater() throws SQLException {
        long[] ids = twoIdsOnDifferentShards();
        long third = newId();
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            insert(c, ids[0], "sp");
            Savepoint sp = c.setSavepoint();
            insert(c, ids[1], "sp"); // the second shard joins after the savepoint
            Savepoint named = c.setSavepoint("named one");
            insert(c, third, "sp");
            c.rollback(named);
            c.releaseSavepoint(sp);
            c.commit();
            assertEquals(2, countBoth(ids));
            assertEquals(0, countBoth(new long[] {third}));

            long[] more = twoIdsOnDifferentShards();
            insert(c, more[0], "sp2");
            Savepoint sp2 = c.setSavepoint();
            insert(c, more[1], "sp2");
            c.rollback(sp2);
            c.commit();
            assertEquals(1, countBoth(more));
            SQLException e = assertThrows(SQLException.class, () -> c.rollback(sp2));
            assertEquals("3B001", e.getSQLState());
        }
    }

    @Test
    void batchIsGroupedPerShardAndCountedInOrder() throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO drv_items (id, name) VALUES (?, ?)")) {
            for (int i = 0; i < 40; i++) {
                long id = newId();
                ids.add(id);
                ps.setLong(1, id);
                ps.setString(2, "batch");
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            int[] ones = new int[40];
            java.util.Arrays.fill(ones, 1);
            assertArrayEquals(ones, counts);
            assertEquals(40, physicalCount(0, "drv_items", "name = 'batch'") + physicalCount(1, "drv_items",
                    "name = 'batch'"));
            assertTrue(physicalCount(0, "drv_items", "name = 'batch'") > 0);
            assertTrue(physicalCount(1, "drv_items", "name = 'batch'") > 0);
            // a plain Statement batch
            try (Statement s = c.createStatement()) {
                s.addBatch("UPDATE drv_items SET name = 'batch2' WHERE id = " + ids.get(0));
                s.addBatch("UPDATE drv_items SET name = 'batch2' WHERE id = " + ids.get(1));
                s.addBatch("UPDATE drv_items SET name = 'batch2' WHERE id = -1");
                assertArrayEquals(new int[] {1, 1, 0}, s.executeBatch());
            }
            // a failing entry: duplicate key
            ps.setLong(1, ids.get(0));
            ps.setString(2, "dup");
            ps.addBatch();
            BatchUpdateException e = assertThrows(BatchUpdateException.class, ps::executeBatch);
            assertEquals("23505", e.getSQLState());
            assertTrue(e.getMessage().startsWith("[shard s"), e.getMessage());
            // over several shards a batch is all or nothing in autocommit mode
            long[] fresh = twoIdsOnDifferentShards();
            int dupShard = shardOf(c, ids.get(0));
            ps.setLong(1, fresh[1 - dupShard]);
            ps.setString(2, "all-or-nothing");
            ps.addBatch();
            ps.setLong(1, ids.get(0));
            ps.setString(2, "dup");
            ps.addBatch();
            assertThrows(BatchUpdateException.class, ps::executeBatch);
            assertEquals(0, countBoth(fresh), "the entry on the other shard was rolled back");
            assertTrue(c.getAutoCommit());
        }
    }

    @Test
    void generatedKeys() throws SQLException {
        try (Connection c = connect()) {
            // ids shardgate generates for a table with generated-key
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO drv_orders (item) VALUES (?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, "generated");
                assertEquals(1, ps.executeUpdate());
                long id;
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    assertTrue(keys.next());
                    id = keys.getLong(1);
                    assertEquals(id, keys.getLong("id"));
                    assertFalse(keys.next());
                }
                try (PreparedStatement q = c.prepareStatement("SELECT item FROM drv_orders WHERE id = ?")) {
                    q.setLong(1, id);
                    try (ResultSet rs = q.executeQuery()) {
                        assertTrue(rs.next());
                        assertEquals("generated", rs.getString(1));
                    }
                }
            }
            // keys the database generates (bigserial of an unsharded table): the physical driver's keys
            try (Statement s = c.createStatement()) {
                assertEquals(1, s.executeUpdate("INSERT INTO drv_log (msg) VALUES ('hello')",
                        Statement.RETURN_GENERATED_KEYS));
                try (ResultSet keys = s.getGeneratedKeys()) {
                    assertTrue(keys.next());
                    long id = keys.getLong("id");
                    assertTrue(id > 0);
                    assertEquals(1, physicalCount(1, "drv_log", "id = " + id + " AND msg = 'hello'"));
                }
            }
        }
    }

    @Test
    void backendErrorsKeepSqlStateAndTheConnectionStaysUsable() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class,
                    () -> s.executeQuery("SELECT no_such_column FROM drv_items WHERE id = 1"));
            assertEquals("42703", e.getSQLState());
            assertTrue(e.getMessage().matches("(?s)\\[shard s[01]/s[01]-(primary|replica)] .*no_such_column.*"),
                    e.getMessage());
            long id = newId();
            insert(c, id, "dup");
            SQLException dup = assertThrows(SQLException.class, () -> insert(c, id, "dup"));
            assertEquals("23505", dup.getSQLState());
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1));
            }
            SQLException routing = assertThrows(SQLException.class, () -> s.executeUpdate("UPDATE drv_items SET name = 'x'"));
            assertNotNull(routing.getSQLState());
        }
    }

    @Test
    void sessionSetIsReplayedOnEveryBorrowedConnection() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("SET application_name = 'shardgate-it'");
            for (int i = 0; i < 3; i++) {
                try (ResultSet rs = s.executeQuery("SHOW application_name")) {
                    assertTrue(rs.next());
                    assertEquals("shardgate-it", rs.getString(1));
                }
            }
            SQLException e = assertThrows(SQLException.class, () -> s.execute("SET no_such_setting_xyz = 1"));
            assertEquals("42704", e.getSQLState());
        }
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW application_name")) {
            assertTrue(rs.next());
            assertFalse("shardgate-it".equals(rs.getString(1)), "the SET did not leak into the pool");
        }
    }

    @Test
    void databaseMetaDataFromTheDefaultShard() throws SQLException {
        try (Connection c = connect()) {
            DatabaseMetaData md = c.getMetaData();
            assertEquals("PostgreSQL", md.getDatabaseProductName());
            assertTrue(md.getDriverName().startsWith("shardgate"), md.getDriverName());
            assertEquals(url, md.getURL());
            assertTrue(md.getConnection() == c);
            try (ResultSet rs = md.getTables(null, null, "drv_items", new String[] {"TABLE"})) {
                assertTrue(rs.next());
                assertEquals("drv_items", rs.getString("TABLE_NAME"));
            }
        }
    }

    @Test
    void downReplicaFallsBackToThePrimary() throws Exception {
        int replicaPort = db.shard(1).replicaPorts().get(0);
        long id = newId();
        try (Connection c = connect()) {
            while (shardOf(c, id) != 1) {
                id = newId();
            }
            insert(c, id, "fallback");
        }
        Thread.sleep(1200); // past read-your-writes: reads of drv_items go to replicas again
        db.waitForReplicaCatchUp();
        try (Connection c = connect(); PreparedStatement q = c.prepareStatement(
                "SELECT name, inet_server_port() FROM drv_items WHERE id = ?")) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(replicaPort, rs.getInt(2));
            }
            db.shard(1).stopReplica(0);
            try {
                for (int i = 0; i < 3; i++) {
                    try (ResultSet rs = q.executeQuery()) {
                        assertTrue(rs.next(), "read " + i + " still answered");
                        assertEquals("fallback", rs.getString(1));
                        assertEquals(db.shard(1).primaryPort(), rs.getInt(2));
                    }
                }
                assertFalse(c.unwrap(ShardgateConnection.class).runtime().topology().state("s1-replica").up());
            } finally {
                db.shard(1).startReplica(0);
            }
        }
    }

    @Test
    void ormStyleWorkloadThroughHikariOverShardgate() throws Exception {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        hc.setDriverClassName(ShardgateDriver.class.getName());
        hc.setMaximumPoolSize(4);
        hc.setPoolName("app-over-shardgate");
        try (HikariDataSource ds = new HikariDataSource(hc)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Integer>> futures = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    futures.add(pool.submit(() -> {
                        int found = 0;
                        for (int i = 0; i < 25; i++) {
                            long id = newId();
                            try (Connection c = ds.getConnection()) {
                                c.setAutoCommit(false);
                                try (PreparedStatement ps = c.prepareStatement(
                                        "INSERT INTO drv_orders (id, item) VALUES (?, ?)")) {
                                    ps.setLong(1, id);
                                    ps.setString(2, "orm");
                                    ps.executeUpdate();
                                }
                                c.commit();
                            }
                            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                                    "SELECT id, item FROM drv_orders WHERE id = ?")) {
                                ps.setLong(1, id);
                                try (ResultSet rs = ps.executeQuery()) {
                                    if (rs.next() && rs.getLong(1) == id && "orm".equals(rs.getString(2))) {
                                        found++;
                                    }
                                }
                            }
                        }
                        return found;
                    }));
                }
                int total = 0;
                for (Future<Integer> f : futures) {
                    total += f.get();
                }
                assertEquals(100, total, "every row found right after it was written (read-your-writes)");
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void multiStatementStringRunsEveryStatementInOrder() throws SQLException {
        long[] ids = twoIdsOnDifferentShards();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            boolean first = s.execute("INSERT INTO drv_items (id, name) VALUES (" + ids[0] + ", 'multi; text'); "
                    + "INSERT INTO drv_items (id, name) VALUES (" + ids[1] + ", 'multi'); "
                    + "SELECT name FROM drv_items WHERE id = " + ids[0]);
            assertFalse(first);
            assertEquals(1, s.getUpdateCount());
            assertFalse(s.getMoreResults());
            assertEquals(1, s.getUpdateCount());
            assertTrue(s.getMoreResults());
            try (ResultSet rs = s.getResultSet()) {
                assertTrue(rs.next());
                assertEquals("multi; text", rs.getString(1));
            }
            assertFalse(s.getMoreResults());
            assertEquals(-1, s.getUpdateCount());
            assertEquals(2, countBoth(ids));
        }
    }

    @Test
    void cancelAndQueryTimeoutReachThePhysicalStatement() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.setQueryTimeout(1);
            long t0 = System.nanoTime();
            SQLException timeout = assertThrows(SQLException.class, () -> s.executeQuery("SELECT pg_sleep(10)"));
            assertEquals("57014", timeout.getSQLState(), timeout.getMessage());
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
            s.setQueryTimeout(0);
            Thread canceller = new Thread(() -> {
                try {
                    Thread.sleep(300);
                    s.cancel();
                } catch (Exception ignored) {
                    // the assertion below fails instead
                }
            });
            canceller.start();
            SQLException cancelled = assertThrows(SQLException.class, () -> s.executeQuery("SELECT pg_sleep(10)"));
            canceller.join();
            assertEquals("57014", cancelled.getSQLState(), cancelled.getMessage());
            try (ResultSet rs = s.executeQuery("SELECT 2")) {
                assertTrue(rs.next());
            }
        }
    }

    @Test
    void readOnlyTransactionMayUseReplicas() throws SQLException {
        try (Connection c = connect()) {
            c.setReadOnly(true);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT inet_server_port()")) {
                assertTrue(rs.next());
                assertEquals(db.shard(0).replicaPorts().get(0), rs.getInt(1));
            }
            c.commit();
            c.setReadOnly(false);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT inet_server_port()")) {
                assertTrue(rs.next());
                assertEquals(db.shard(0).primaryPort(), rs.getInt(1), "a read-write transaction uses the primary");
            }
            c.rollback();
        }
    }

    @Test
    void closeOnCompletionAndStatementReuse() throws SQLException {
        try (Connection c = connect()) {
            PreparedStatement ps = c.prepareStatement("SELECT ?::int");
            for (int i = 0; i < 3; i++) {
                ps.setInt(1, i);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(i, rs.getInt(1));
                }
            }
            assertFalse(ps.isClosed(), "re-executing does not close the statement");
            ps.closeOnCompletion();
            ps.setInt(1, 9);
            ps.executeQuery().close();
            assertTrue(ps.isClosed());
        }
    }

    // ---------------------------------------------------------------- helpers

    static void insert(Connection c, long id, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO drv_items (id, name) VALUES (?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, name);
            ps.executeUpdate();
        }
    }

    static int shardOf(Connection c, long id) throws SQLException {
        return shardIndex(explain(c, "SELECT name FROM drv_items WHERE id = ?", id).get(0).split(" ")[0]);
    }

    /** Two fresh ids, the first on s0 and the second on s1. */
    long[] twoIdsOnDifferentShards() throws SQLException {
        try (Connection c = connect()) {
            long a = newId();
            while (shardOf(c, a) != 0) {
                a = newId();
            }
            long b = newId();
            while (shardOf(c, b) != 1) {
                b = newId();
            }
            return new long[] {a, b};
        }
    }

    static long countBoth(long[] ids) throws SQLException {
        StringBuilder in = new StringBuilder();
        for (long id : ids) {
            in.append(in.length() == 0 ? "" : ",").append(id);
        }
        return physicalCount(0, "drv_items", "id IN (" + in + ")") + physicalCount(1, "drv_items", "id IN (" + in + ")");
    }
}
