package io.shardgate.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProxyConfigTest {
    private static final String BASE = """
            databases:
              s0-primary: { url: "jdbc:postgresql://127.0.0.1:5433/app", user: app }
            shards:
              s0: { primary: s0-primary }
            """;

    private static ShardgateConfig parse(String yaml) {
        return ConfigLoader.parse(BASE + yaml, "test.yaml", Map.of("PW", "s3cret")::get);
    }

    private static void assertProblem(String yaml, String fragment) {
        List<String> problems = assertThrows(ConfigException.class, () -> parse(yaml)).problems();
        assertTrue(problems.stream().anyMatch(p -> p.contains(fragment)), "wanted '" + fragment + "' in " + problems);
    }

    @Test
    void withoutProxySectionTheDefaultsApply() {
        ProxyConfig p = parse("").proxy();
        assertEquals(ProxyConfig.DEFAULT, p);
        assertEquals("127.0.0.1", p.listenHost());
        assertEquals(6432, p.listenPort());
        assertEquals(ProxyConfig.PoolMode.TRANSACTION, p.poolMode());
        assertEquals(ProxyConfig.Auth.SCRAM_SHA_256, p.auth());
        assertFalse(p.tls());
    }

    @Test
    void workersZeroStartsHalfTheCoresAndAtLeastOneLoop() {
        assertEquals(1, ProxyConfig.defaultEventLoops(1));
        assertEquals(1, ProxyConfig.defaultEventLoops(2));
        assertEquals(1, ProxyConfig.defaultEventLoops(3));
        assertEquals(4, ProxyConfig.defaultEventLoops(8));
        assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), parse("").proxy().eventLoops());
        assertEquals(3, parse("proxy: { workers: 3, auth: trust }").proxy().eventLoops());
    }

    @Test
    void everyKeyIsRead() {
        ProxyConfig p = parse("""
                proxy:
                  listen: 0.0.0.0:7000
                  pool-mode: session
                  max-client-connections: 50
                  auth: md5
                  users: { app: { password: "${PW}" }, other: { password: plain } }
                  workers: 2
                  query-timeout: 30s
                  shutdown-timeout: 5s
                  max-message-size: 1048576
                """).proxy();
        assertEquals("0.0.0.0", p.listenHost());
        assertEquals(7000, p.listenPort());
        assertEquals(ProxyConfig.PoolMode.SESSION, p.poolMode());
        assertEquals(50, p.maxClientConnections());
        assertEquals(ProxyConfig.Auth.MD5, p.auth());
        assertEquals(Map.of("app", "s3cret", "other", "plain"), p.users());
        assertEquals(2, p.workers());
        assertEquals(Duration.ofSeconds(30), p.queryTimeout());
        assertEquals(Duration.ofSeconds(5), p.shutdownTimeout());
        assertEquals(1048576, p.maxMessageSize());
        assertEquals(6433, parse("proxy: { listen: \"6433\", auth: trust }").proxy().listenPort());
    }

    @Test
    void problemsNameTheKey() {
        assertProblem("proxy: { listen: 'nowhere:x', auth: trust }", "proxy.listen:");
        assertProblem("proxy: { pool-mode: statement, auth: trust }", "proxy.pool-mode: 'statement' is not session or transaction");
        assertProblem("proxy: { auth: ldap }", "proxy.auth: 'ldap'");
        assertProblem("proxy: { listen: 6432 }", "proxy.users: no users");
        assertProblem("proxy: { auth: md5, users: { app: { pwd: x } } }", "proxy.users.app.pwd: unknown key");
        assertProblem("proxy: { auth: md5, users: { app: { pwd: x } } }", "proxy.users.app.password: missing");
        assertProblem("proxy: { auth: trust, tls: { cert: /nonexistent.pem } }", "proxy.tls: both cert and key");
        assertProblem("proxy: { auth: trust, tls: { cert: /nonexistent.pem, key: /nonexistent.key } }",
                "proxy.tls.cert: cannot read file /nonexistent.pem");
        assertProblem("proxy: { auth: trust, lisen: 1 }", "proxy.lisen: unknown key");
        assertProblem("proxy: { auth: trust, max-client-connections: 0 }", "proxy.max-client-connections:");
        assertProblem("proxy: { auth: md5, users: { app: { password: x } }, admin-users: [root] }",
                "proxy.admin-users: 'root' is not one of proxy.users [app]");
        assertProblem("proxy: { auth: trust, admin-users: admin }", "proxy.admin-users: must be a list");
        assertProblem("proxy: { auth: trust, metrics: { listen: 'x:y' } }", "proxy.metrics.listen: 'x:y'");
        assertProblem("proxy: { auth: trust, metrics: { } }", "proxy.metrics.listen: missing");
        assertProblem("proxy: { auth: trust, metrics: { port: 1 } }", "proxy.metrics.port: unknown key");
    }

    @Test
    void adminUsersAndMetrics() {
        ProxyConfig p = parse("""
                proxy:
                  auth: md5
                  users: { app: { password: a }, admin: { password: b } }
                  admin-users: [admin]
                  metrics: { listen: 127.0.0.1:9187 }
                """).proxy();
        assertTrue(p.isAdmin("admin"));
        assertFalse(p.isAdmin("app"));
        assertTrue(p.metricsEnabled());
        assertEquals("127.0.0.1", p.metricsHost());
        assertEquals(9187, p.metricsPort());
        assertFalse(parse("proxy: { auth: trust }").proxy().metricsEnabled());
        assertEquals(p.adminUsers(), p.withListen("0.0.0.0", 7000).adminUsers());
    }
}
