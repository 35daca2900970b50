package io.shardgate.it.proxy;

import io.shardgate.config.ConfigLoader;
import io.shardgate.it.fixture.TestDatabases;
import io.shardgate.proxy.ProxyServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backend authentication with passwords: the fixture's servers trust everyone, so an inner shardgate proxy (which
 * asks for SCRAM-SHA-256 or MD5) plays the password-protected backend of an outer one.
 */
class ProxyBackendAuthIT {

    private static ProxyServer inner(String auth) throws Exception {
        TestDatabases db = TestDatabases.get();
        String yaml = db.postgresConfigYaml("", """
                default-shard: s0
                read-write: { replica-reads: false }
                proxy:
                  listen: 127.0.0.1:0
                  auth: %s
                  users: { backend: { password: "b4ck" } }
                """.formatted(auth));
        return new ProxyServer(ConfigLoader.load(db.writeConfig(yaml))).start();
    }

    private static ProxyServer outer(int innerPort, String password) throws Exception {
        String yaml = """
                databases:
                  only: { url: "jdbc:postgresql://127.0.0.1:%d/app", user: backend, password: "%s" }
                shards:
                  s0: { primary: only }
                pool: { connection-timeout: 2s }
                proxy:
                  listen: 127.0.0.1:0
                  auth: trust
                """.formatted(innerPort, password);
        return new ProxyServer(ConfigLoader.load(TestDatabases.get().writeConfig(yaml))).start();
    }

    private static int query(int port, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/app?user=anyone");
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void scramAndMd5BackendsAcceptTheRightPasswordAndRefuseAWrongOne() throws Exception {
        for (String auth : new String[] {"scram-sha-256", "md5"}) {
            try (ProxyServer in = inner(auth); ProxyServer out = outer(in.port(), "b4ck")) {
                assertEquals(11, query(out.port(), "SELECT 11"), auth);
            }
            try (ProxyServer in = inner(auth); ProxyServer out = outer(in.port(), "wrong")) {
                SQLException e = assertThrows(SQLException.class, () -> query(out.port(), "SELECT 1"));
                assertTrue(e.getMessage().contains("refused the login") && e.getMessage().contains("28P01"),
                        auth + ": " + e.getMessage());
            }
        }
    }
}
