package io.shardgate.it.driver;

import io.shardgate.it.fixture.MariaDbReplicaPair;
import io.shardgate.it.fixture.Role;
import io.shardgate.it.fixture.TestDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Read/write splitting on MariaDB with a real GTID replica: plain reads are answered by the replica server, writes
 * and reads inside the read-your-writes window by the primary, and the rows written through shardgate are on the
 * primary and replicated.
 */
class DriverMariaDbReplicaIT {
    private static final String RULES = """
            rules:
              mrep-by-id: { type: hash, shards: [s0, s1] }
            tables:
              mrep_items: { rule: mrep-by-id, key: id }
            """;
    private static final String TAIL = """
            default-shard: s0
            read-write: { balancer: round-robin, max-replica-lag: 30s, read-your-writes: 300ms, health-check-interval: 200ms }
            """;

    static TestDatabases db;
    static MariaDbReplicaPair pair;
    static String url;

    @BeforeAll
    static void setUp() throws Exception {
        db = TestDatabases.get();
        pair = db.mariaDbReplicaPair();
        url = "jdbc:shardgate:" + db.writeConfig(db.mariaDbReplicatedConfigYaml(RULES, TAIL));
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS mrep_items");
            s.execute("CREATE TABLE mrep_items (id BIGINT PRIMARY KEY, name VARCHAR(50))");
        }
        pair.waitForReplicaCatchUp();
    }

    private static int serverPort(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getInt(1);
        }
    }

    @Test
    void readsGoToTheReplicaWritesAndFreshReadsToThePrimary() throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            // a read of a sharded table by key: the port of the server that answered
            int reader = serverPort(c, "SELECT @@port");
            assertEquals(pair.replicaPort(), reader, "a plain read is answered by the replica");

            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mrep_items (id, name) VALUES (?, ?)")) {
                for (long id = 1; id <= 20; id++) {
                    ps.setLong(1, id);
                    ps.setString(2, "item" + id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            // within the read-your-writes window, even on another connection, the primary answers
            try (Connection other = DriverManager.getConnection(url)) {
                assertEquals(pair.primaryPort(), serverPort(other, "SELECT @@port FROM mrep_items WHERE id = 3"));
            }
            Thread.sleep(400);
            pair.waitForReplicaCatchUp();
            assertEquals(pair.replicaPort(), serverPort(c, "SELECT @@port FROM mrep_items WHERE id = 3"));
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM mrep_items")) {
                assertTrue(rs.next());
                assertEquals(20, rs.getLong(1), "merged count over both shards, read on the replica");
            }
        }
        long onPrimaries = 0;
        for (int shard = 0; shard < 2; shard++) {
            try (Connection direct = pair.connect(db.mariaDbDatabase(shard), Role.PRIMARY); Statement s = direct.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM mrep_items")) {
                rs.next();
                long n = rs.getLong(1);
                assertTrue(n > 0 && n < 20, "shard " + shard + " holds " + n + " of the 20 rows");
                onPrimaries += n;
            }
        }
        assertEquals(20, onPrimaries);
    }
}
