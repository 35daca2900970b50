package io.shardgate.it.proxy;

import io.shardgate.config.ConfigLoader;
import io.shardgate.it.fixture.TestDatabases;
import io.shardgate.proxy.ProxyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS between clients and the proxy: with {@code proxy.tls} set, psql and pgjdbc negotiate TLS (SSLRequest answered
 * 'S'); without it, a client that requires TLS is told the server does not support it ('N').
 */
class ProxyTlsIT {
    private static final String TABLES = """
            rules:
              tls-by-id: { type: hash, shards: [s0, s1] }
            tables:
              tls_items: { rule: tls-by-id, key: id }
            """;

    private static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ":\n" + out);
    }

    private static String psql(int port, String sslmode, String sql) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("psql", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "postgresql://app@127.0.0.1:" + port + "/app?sslmode=" + sslmode, "-c", sql).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", "secret");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return p.exitValue() + ":" + out;
    }

    @Test
    void clientsNegotiateTlsWhenConfigured(@TempDir Path dir) throws Exception {
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem",
                "-days", "2", "-subj", "/CN=localhost");
        TestDatabases db = TestDatabases.get();
        String yaml = db.postgresConfigYaml(TABLES, "default-shard: s0\nproxy: { listen: 127.0.0.1:0, auth: scram-sha-256, "
                + "users: { app: { password: secret } }, tls: { cert: " + dir.resolve("cert.pem") + ", key: "
                + dir.resolve("key.pem") + " } }\n");
        try (ProxyServer proxy = new ProxyServer(ConfigLoader.load(db.writeConfig(yaml))).start()) {
            String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/app?user=app&password=secret&sslmode=require";
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS tls_items");
                s.execute("CREATE TABLE tls_items (id BIGINT PRIMARY KEY)");
                assertEquals(3, s.executeUpdate("INSERT INTO tls_items (id) VALUES (1), (2), (3)"));
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM tls_items")) {
                    rs.next();
                    assertEquals(3, rs.getLong(1));
                }
            }
            String out = psql(proxy.port(), "require", "SELECT count(*) FROM tls_items");
            assertEquals("0:3", out.strip());
            String info = psql(proxy.port(), "require", "\\conninfo");
            assertTrue(info.contains("SSL connection"), info);
        }
    }

    @Test
    void aClientThatRequiresTlsIsToldTheProxyHasNone() throws Exception {
        TestDatabases db = TestDatabases.get();
        String yaml = db.postgresConfigYaml(TABLES, "default-shard: s0\nproxy: { listen: 127.0.0.1:0, auth: scram-sha-256, "
                + "users: { app: { password: secret } } }\n");
        try (ProxyServer proxy = new ProxyServer(ConfigLoader.load(db.writeConfig(yaml))).start()) {
            SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(
                    "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/app?user=app&password=secret&sslmode=require"));
            assertTrue(e.getMessage().toLowerCase().contains("ssl"), e.getMessage());
            assertTrue(psql(proxy.port(), "prefer", "SELECT 1").startsWith("0:"), "sslmode=prefer falls back to plain");
        }
    }
}
