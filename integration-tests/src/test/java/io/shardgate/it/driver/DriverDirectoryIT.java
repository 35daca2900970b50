package io.shardgate.it.driver;

import io.shardgate.it.fixture.Role;
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
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A directory rule through the driver: the runtime creates the lookup table and rows land where it says. */
class DriverDirectoryIT {
    private static final String RULES = """
            rules:
              drvd-dir:
                type: directory
                shards: [s0, s1]
                directory: { database: s0-primary, table: drvd_directory }
                placement: round-robin
            tables:
              drvd_tenants: { rule: drvd-dir, key: tenant }
            """;

    static TestDatabases db;
    static Path config;
    static String url;

    @BeforeAll
    static void setUp() throws Exception {
        db = TestDatabases.get();
        try (Connection c = db.connectShard(0, Role.PRIMARY); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS drvd_directory");
        }
        config = db.writeConfig(db.postgresConfigYaml(RULES));
        url = "jdbc:shardgate:" + config;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS drvd_tenants");
            s.execute("CREATE TABLE drvd_tenants (tenant TEXT, note TEXT)");
        }
    }

    @AfterAll
    static void tearDown() throws SQLException {
        ShardgateDriver.shutdown(config.toString());
    }

    @Test
    void rowsLandOnTheShardTheDirectoryRecords() throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO drvd_tenants (tenant, note) VALUES (?, ?)")) {
                for (String t : new String[] {"acme", "globex", "initech", "umbrella"}) {
                    ps.setString(1, t);
                    ps.setString(2, "hello " + t);
                    assertEquals(1, ps.executeUpdate());
                }
            }
            Set<String> shards = new HashSet<>();
            try (Connection dir = db.connectShard(0, Role.PRIMARY); Statement s = dir.createStatement();
                 ResultSet rs = s.executeQuery("SELECT shard_key, shard FROM drvd_directory "
                         + "WHERE rule_name = 'drvd-dir' ORDER BY shard_key")) {
                int n = 0;
                while (rs.next()) {
                    n++;
                    String tenant = rs.getString(1);
                    int shard = Integer.parseInt(rs.getString(2).substring(1));
                    shards.add(rs.getString(2));
                    try (Connection p = db.connectShard(shard, Role.PRIMARY); PreparedStatement q = p.prepareStatement(
                            "SELECT note FROM drvd_tenants WHERE tenant = ?")) {
                        q.setString(1, tenant);
                        try (ResultSet r = q.executeQuery()) {
                            assertTrue(r.next(), tenant + " on " + shard);
                            assertEquals("hello " + tenant, r.getString(1));
                        }
                    }
                }
                assertEquals(4, n);
            }
            assertEquals(Set.of("s0", "s1"), shards, "round-robin placement used both shards");
            try (PreparedStatement q = c.prepareStatement("SELECT note FROM drvd_tenants WHERE tenant = ?")) {
                q.setString(1, "globex");
                try (ResultSet rs = q.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals("hello globex", rs.getString(1));
                }
            }
        }
    }
}
