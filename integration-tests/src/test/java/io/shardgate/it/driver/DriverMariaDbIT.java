package io.shardgate.it.driver;

import io.shardgate.it.fixture.MariaDbShards;
import io.shardgate.it.fixture.TestDatabases;
import io.shardgate.jdbc.ShardgateDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same basic paths as {@link DriverPostgresIT} over the MariaDB shard databases (no replicas). */
class DriverMariaDbIT {
    private static final String RULES = """
            rules:
              drvm-by-id: { type: hash, shards: [s0, s1] }
            tables:
              drvm_items: { rule: drvm-by-id, key: id }
              drvm_orders: { rule: drvm-by-id, key: id, generated-key: id }
            """;
    private static final AtomicLong IDS = new AtomicLong(5000);

    static TestDatabases db;
    static MariaDbShards maria;
    static Path config;
    static String url;

    @BeforeAll
    static void setUp() throws Exception {
        db = TestDatabases.get();
        maria = db.mariaDb();
        config = db.writeMariaDbConfig(RULES);
        url = "jdbc:shardgate:" + config;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS drvm_items");
            s.execute("DROP TABLE IF EXISTS drvm_orders");
            s.execute("CREATE TABLE drvm_items (id BIGINT PRIMARY KEY, name VARCHAR(100)) ENGINE=InnoDB");
            s.execute("CREATE TABLE drvm_orders (id BIGINT PRIMARY KEY, item VARCHAR(100)) ENGINE=InnoDB");
        }
    }

    @AfterAll
    static void tearDown() throws SQLException {
        ShardgateDriver.shutdown(config.toString());
    }

    static long physicalCount(int shard, String where) throws SQLException {
        try (Connection c = maria.connect(shard); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM drvm_items WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static int shardOf(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN ROUTE SELECT name FROM drvm_items WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                String shard = rs.getString("shard");
                assertFalse(rs.next());
                return Integer.parseInt(shard.substring(1));
            }
        }
    }

    static void insert(Connection c, long id, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO drvm_items (id, name) VALUES (?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, name);
            assertEquals(1, ps.executeUpdate());
        }
    }

    @Test
    void singleShardInsertAndSelectByKey() throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            Set<Integer> used = new HashSet<>();
            for (int i = 0; i < 12; i++) {
                long id = IDS.incrementAndGet();
                insert(c, id, "m-" + id);
                int shard = shardOf(c, id);
                used.add(shard);
                assertEquals(1, physicalCount(shard, "id = " + id));
                assertEquals(0, physicalCount(1 - shard, "id = " + id));
                try (PreparedStatement q = c.prepareStatement("SELECT name FROM drvm_items WHERE id = ?")) {
                    q.setLong(1, id);
                    try (ResultSet rs = q.executeQuery()) {
                        assertTrue(rs.next());
                        assertEquals("m-" + id, rs.getString("NAME"));
                    }
                }
            }
            assertEquals(Set.of(0, 1), used);
        }
    }

    @Test
    void crossShardSelectAndTransaction() throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            List<Long> ids = new ArrayList<>();
            c.setAutoCommit(false);
            for (int i = 0; i < 8; i++) {
                long id = IDS.incrementAndGet();
                ids.add(id);
                insert(c, id, "cross");
            }
            c.rollback();
            assertEquals(0, physicalCount(0, "name = 'cross'") + physicalCount(1, "name = 'cross'"));
            for (long id : ids) {
                insert(c, id, "cross");
            }
            c.commit();
            c.setAutoCommit(true);
            assertTrue(physicalCount(0, "name = 'cross'") > 0 && physicalCount(1, "name = 'cross'") > 0);
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id FROM drvm_items WHERE name = 'cross' ORDER BY id")) {
                List<Long> got = new ArrayList<>();
                while (rs.next()) {
                    got.add(rs.getLong(1));
                }
                assertEquals(ids, got);
            }
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM drvm_items WHERE name = 'cross'")) {
                assertTrue(rs.next());
                assertEquals(8, rs.getLong(1));
            }
        }
    }

    @Test
    void generatedKeysErrorsAndMetadata() throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO drvm_orders (item) VALUES (?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, "gen");
                assertEquals(1, ps.executeUpdate());
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    assertTrue(keys.next());
                    long id = keys.getLong(1);
                    try (PreparedStatement q = c.prepareStatement("SELECT item FROM drvm_orders WHERE id = ?")) {
                        q.setLong(1, id);
                        try (ResultSet rs = q.executeQuery()) {
                            assertTrue(rs.next());
                            assertEquals("gen", rs.getString(1));
                        }
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                SQLException e = assertThrows(SQLException.class,
                        () -> s.executeQuery("SELECT no_such_column FROM drvm_items WHERE id = 1"));
                assertEquals("42S22", e.getSQLState());
                assertTrue(e.getMessage().startsWith("[shard s"), e.getMessage());
                try (ResultSet rs = s.executeQuery("SELECT 1")) {
                    assertTrue(rs.next());
                }
            }
            String product = c.getMetaData().getDatabaseProductName();
            assertTrue(product.equals("MariaDB") || product.equals("MySQL"), product);
        }
    }
}
