package io.shardgate.it.proxy;

import io.shardgate.config.ConfigLoader;
import io.shardgate.it.fixture.Role;
import io.shardgate.it.fixture.TestDatabases;
import io.shardgate.proxy.ProxyServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A directory rule through the proxy: its lookups run off the event loops, rows land where EXPLAIN ROUTE says. */
class ProxyDirectoryIT {
    @Test
    void directoryRoutedRowsLandWhereExplainRouteSays() throws Exception {
        TestDatabases db = TestDatabases.get();
        String yaml = db.postgresConfigYaml("""
                rules:
                  px-by-tenant: { type: directory, shards: [s0, s1], directory: { database: s0-primary, table: px_directory }, placement: round-robin }
                tables:
                  px_tenant_items: { rule: px-by-tenant, key: tenant_id }
                """, """
                default-shard: s0
                read-write: { replica-reads: false }
                proxy: { listen: 127.0.0.1:0, auth: trust }
                """);
        try (ProxyServer proxy = new ProxyServer(ConfigLoader.load(db.writeConfig(yaml))).start();
             Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/app?user=app")) {
            try (Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS px_tenant_items");
                st.execute("CREATE TABLE px_tenant_items (tenant_id bigint, item text)");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO px_tenant_items (tenant_id, item) VALUES (?, ?)")) {
                for (long t = 1; t <= 6; t++) {
                    ps.setLong(1, t);
                    ps.setString(2, "item" + t);
                    assertEquals(1, ps.executeUpdate());
                }
            }
            Set<String> used = new HashSet<>();
            for (long t = 1; t <= 6; t++) {
                String shard;
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("EXPLAIN ROUTE SELECT * FROM px_tenant_items WHERE tenant_id = " + t)) {
                    assertTrue(rs.next());
                    shard = rs.getString(1);
                }
                used.add(shard);
                int s = Integer.parseInt(shard.substring(1));
                try (Connection direct = db.connectShard(s, Role.PRIMARY); Statement st = direct.createStatement();
                     ResultSet rs = st.executeQuery("SELECT count(*) FROM px_tenant_items WHERE tenant_id = " + t)) {
                    rs.next();
                    assertEquals(1, rs.getInt(1), "tenant " + t + " on " + shard);
                }
            }
            assertEquals(Set.of("s0", "s1"), used, "round-robin placement uses both shards");
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM px_tenant_items")) {
                rs.next();
                assertEquals(6, rs.getInt(1));
            }
        }
    }
}
