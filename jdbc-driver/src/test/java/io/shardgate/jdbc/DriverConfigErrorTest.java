package io.shardgate.jdbc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Driver registration and configuration errors: no database needed. */
class DriverConfigErrorTest {
    @Test
    void registeredWithDriverManager() throws SQLException {
        Driver d = DriverManager.getDriver("jdbc:shardgate:/nowhere.yaml");
        assertInstanceOf(ShardgateDriver.class, d);
    }

    @Test
    void otherUrlsAreNotOurs() throws SQLException {
        assertNull(new ShardgateDriver().connect("jdbc:postgresql://localhost/x", new Properties()));
    }

    @Test
    void missingFileIsA08001WithThePath(@TempDir Path dir) {
        Path missing = dir.resolve("missing.yaml");
        SQLException e = assertThrows(SQLException.class,
                () -> DriverManager.getConnection("jdbc:shardgate:" + missing));
        assertEquals("08001", e.getSQLState());
        assertTrue(e.getMessage().contains("file not found"), e.getMessage());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void everyConfigProblemIsListed(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("bad.yaml");
        Files.writeString(cfg, """
                databases:
                  s0-primary: { url: "jdbc:oracle:thin:@x", user: app }
                shards:
                  s0: { primary: s0-primary, replicas: [nope] }
                tables:
                  orders: { rule: missing-rule, key: id }
                """);
        SQLException e = assertThrows(SQLException.class, () -> {
            try (Connection c = DriverManager.getConnection("jdbc:shardgate:file:" + cfg)) {
                c.isValid(1);
            }
        });
        assertEquals("08001", e.getSQLState());
        String m = e.getMessage();
        assertTrue(m.contains("databases.s0-primary.url"), m);
        assertTrue(m.contains("shards.s0.replicas[0]"), m);
        assertTrue(m.contains("tables.orders.rule"), m);
    }
}
