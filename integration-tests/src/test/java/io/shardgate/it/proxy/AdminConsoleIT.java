package io.shardgate.it.proxy;

import io.shardgate.config.ConfigLoader;
import io.shardgate.it.fixture.TestDatabases;
import io.shardgate.proxy.ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin console and the metrics endpoint over the fixture's two PostgreSQL shards (each a primary and a
 * streaming replica): pgjdbc (simple query mode) and psql on the database {@code shardgate}.
 */
class AdminConsoleIT {
    static final String RULES = """
            rules:
              ad-by-id: { type: hash, shards: [s0, s1] }
            tables:
              ad_users: { rule: ad-by-id, key: id }
            """;
    static final String TAIL = """
            default-shard: s0
            read-write: { balancer: round-robin, max-replica-lag: 10s, read-your-writes: 0ms, health-check-interval: 200ms }
            pool: { maximum-size: 4, connection-timeout: 30s }
            proxy:
              listen: 127.0.0.1:0
              auth: scram-sha-256
              users: { app: { password: s3cret }, admin: { password: admin } }
              admin-users: [admin]
              metrics: { listen: 127.0.0.1:0 }
            """;
    static TestDatabases db;
    static Path configFile;
    static String goodYaml;
    static ProxyServer proxy;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabases.get();
        goodYaml = db.postgresConfigYaml(RULES, TAIL);
        configFile = db.writeConfig(goodYaml);
        proxy = new ProxyServer(ConfigLoader.load(configFile)).start();
        port = proxy.port();
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    static Connection admin() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "admin");
        p.setProperty("password", "admin");
        p.setProperty("preferQueryMode", "simple");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/shardgate", p);
    }

    static Connection app() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "app");
        p.setProperty("password", "s3cret");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/app", p);
    }

    /** The rows of an admin command as column name to text value. */
    static List<Map<String, String>> rows(String command) throws SQLException {
        try (Connection c = admin(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(command)) {
            ResultSetMetaData md = rs.getMetaData();
            List<Map<String, String>> out = new ArrayList<>();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnName(i), rs.getString(i));
                }
                out.add(row);
            }
            return out;
        }
    }

    static Map<String, String> shard(String database) throws SQLException {
        return rows("SHOW SHARDS").stream().filter(r -> r.get("database").equals(database)).findFirst().orElseThrow();
    }

    static void await(String what, long millis, Predicate<Void> condition) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.test(null)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void showShardsListsEveryDatabaseWithItsState() throws Exception {
        List<Map<String, String>> shards = rows("SHOW SHARDS");
        assertEquals(List.of("shard", "role", "database", "host", "port", "state", "lag_ms"),
                new ArrayList<>(shards.get(0).keySet()));
        assertEquals(List.of("s0-primary", "s0-replica", "s1-primary", "s1-replica"),
                shards.stream().map(r -> r.get("database")).toList());
        assertEquals("primary", shards.get(0).get("role"));
        assertEquals("replica", shards.get(1).get("role"));
        assertEquals(String.valueOf(db.shard(1).primaryPort()), shards.get(2).get("port"));
        assertTrue(shards.stream().allMatch(r -> r.get("state").equals("up")), shards.toString());
    }

    @Test
    void aStoppedReplicaShowsAsDown() throws Exception {
        db.shard(1).stopReplica(0);
        try {
            await("s1-replica down", 20_000, x -> state("s1-replica").equals("down"));
            assertEquals("up", shard("s1-primary").get("state"));
            assertEquals("up", shard("s0-replica").get("state"));
        } finally {
            db.shard(1).startReplica(0);
        }
        await("s1-replica up again", 60_000, x -> state("s1-replica").equals("up"));
    }

    private static String state(String database) {
        try {
            return shard(database).get("state");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void poolsClientsServersStatsConfigAndHelp() throws Exception {
        try (Connection c = app(); Statement st = c.createStatement()) {
            st.executeQuery("SELECT 1").close();
            List<Map<String, String>> clients = rows("SHOW CLIENTS");
            assertTrue(clients.stream().anyMatch(r -> r.get("user").equals("app") && r.get("database").equals("app")
                    && r.get("pool_mode").equals("transaction") && r.get("address").contains("127.0.0.1")),
                    clients.toString());
            assertTrue(clients.stream().anyMatch(r -> r.get("user").equals("admin")
                    && r.get("database").equals("shardgate")), clients.toString());
        }
        List<Map<String, String>> pools = rows("SHOW POOLS");
        assertEquals(4, pools.size());
        assertEquals(List.of("database", "active", "idle", "waiting", "max", "waits", "timeouts", "paused"),
                new ArrayList<>(pools.get(0).keySet()));
        assertTrue(pools.stream().allMatch(r -> r.get("max").equals("4")), pools.toString());
        assertTrue(pools.stream().mapToInt(r -> Integer.parseInt(r.get("idle"))).sum() >= 1, pools.toString());
        List<Map<String, String>> servers = rows("SHOW SERVERS");
        assertFalse(servers.isEmpty());
        assertTrue(servers.stream().allMatch(r -> r.get("database").startsWith("s")), servers.toString());
        List<Map<String, String>> stats = rows("SHOW STATS");
        assertTrue(stats.stream().anyMatch(r -> r.get("stat").equals("statements") && r.get("kind").equals("select")
                && Long.parseLong(r.get("count")) >= 1), stats.toString());
        assertTrue(stats.stream().anyMatch(r -> r.get("stat").equals("latency")), stats.toString());
        List<Map<String, String>> config = rows("SHOW CONFIG");
        Map<String, String> kv = new LinkedHashMap<>();
        config.forEach(r -> kv.put(r.get("key"), r.get("value")));
        assertEquals("********", kv.get("proxy.users.admin.password"));
        assertEquals("admin", kv.get("proxy.admin-users"));
        assertFalse(config.toString().contains("s3cret"), config.toString());
        assertTrue(rows("SHOW HELP").stream().anyMatch(r -> r.get("command").equals("RELOAD")));
        SQLException unknown = assertThrows(SQLException.class, () -> rows("SHOW NOTHING"));
        assertTrue(unknown.getMessage().contains("unknown SHOW nothing"), unknown.getMessage());
        // extra words are an error, and nothing of the command happens: PAUSE s0 s1 must not pause s0 alone
        SQLException extra = assertThrows(SQLException.class, () -> {
            try (Connection c = admin(); Statement st = c.createStatement()) {
                st.execute("PAUSE s0 s1");
            }
        });
        assertTrue(extra.getMessage().contains("takes at most one shard or database"), extra.getMessage());
        assertTrue(rows("SHOW SHARDS").stream().noneMatch(r -> "paused".equals(r.get("state"))), "nothing paused");
        assertThrows(SQLException.class, () -> rows("SHOW SHARDS extra"));
    }

    @Test
    void aNonAdminUserIsRefused() {
        Properties p = new Properties();
        p.setProperty("user", "app");
        p.setProperty("password", "s3cret");
        SQLException e = assertThrows(SQLException.class,
                () -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/shardgate", p));
        assertEquals("28000", e.getSQLState());
        assertTrue(e.getMessage().contains("not an admin user"), e.getMessage());
    }

    @Test
    void reloadRefusesABrokenFileAndAppliesAGoodOne() throws Exception {
        try {
            Files.writeString(configFile, goodYaml.replace("ad-by-id: { type: hash", "ad-by-id: { type: hashh"),
                    StandardCharsets.UTF_8);
            try (Connection a = admin(); Statement st = a.createStatement()) {
                SQLException e = assertThrows(SQLException.class, () -> st.execute("RELOAD"));
                assertTrue(e.getMessage().contains("RELOAD refused") && e.getMessage().contains("rules.ad-by-id"),
                        e.getMessage());
                st.executeQuery("SHOW SHARDS").close(); // the console goes on
            }
            try (Connection c = app(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("EXPLAIN ROUTE SELECT * FROM ad_users WHERE id = 1")) {
                assertTrue(rs.next(), "the old configuration still routes");
            }
            // a good file with a new table: statements after RELOAD are routed with it
            Files.writeString(configFile, goodYaml.replace("ad_users: { rule: ad-by-id, key: id }",
                    "ad_users: { rule: ad-by-id, key: id }\n  ad_more: { rule: ad-by-id, key: k }"),
                    StandardCharsets.UTF_8);
            try (Connection a = admin(); Statement st = a.createStatement()) {
                st.execute("RELOAD");
            }
            try (Connection c = app(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("EXPLAIN ROUTE SELECT * FROM ad_more")) {
                int n = 0;
                while (rs.next()) {
                    n++;
                }
                assertEquals(2, n, "ad_more is sharded after RELOAD");
            }
        } finally {
            Files.writeString(configFile, goodYaml, StandardCharsets.UTF_8);
        }
    }

    @Test
    void pauseMakesAStatementWaitAndResumeLetsItFinish() throws Exception {
        try (Connection a = admin(); Statement admin = a.createStatement(); Connection c = app()) {
            admin.execute("PAUSE s1");
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 2")) {
                assertTrue(rs.next(), "s0 is not paused");
            }
            assertEquals("paused", shard("s1-primary").get("state"));
            admin.execute("PAUSE");
            CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 42")) {
                    rs.next();
                    return rs.getInt(1);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThrows(TimeoutException.class, () -> waiting.get(700, TimeUnit.MILLISECONDS));
            assertTrue(rows("SHOW CLIENTS").stream().anyMatch(r -> r.get("state").equals("waiting")));
            assertTrue(rows("SHOW SHARDS").stream().allMatch(r -> r.get("state").equals("paused")));
            admin.execute("RESUME");
            assertEquals(42, waiting.get(10, TimeUnit.SECONDS));
            assertTrue(rows("SHOW SHARDS").stream().allMatch(r -> r.get("state").equals("up")));
        } finally {
            try (Connection a = admin(); Statement admin = a.createStatement()) {
                admin.execute("RESUME");
            }
        }
    }

    /** Ctrl-C (a CancelRequest) of a statement waiting at a PAUSE ends it with 57014; the session stays usable. */
    @Test
    void aStatementWaitingForResumeCanBeCancelled() throws Exception {
        try (Connection a = admin(); Statement admin = a.createStatement(); Connection c = app();
             Statement st = c.createStatement()) {
            admin.execute("PAUSE");
            CompletableFuture<SQLException> waiting = CompletableFuture.supplyAsync(() -> {
                try (ResultSet rs = st.executeQuery("SELECT 42")) {
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            SQLException cancelled;
            try {
                assertThrows(TimeoutException.class, () -> waiting.get(700, TimeUnit.MILLISECONDS));
                st.cancel();
                cancelled = waiting.get(10, TimeUnit.SECONDS);
            } finally {
                admin.execute("RESUME"); // before the connections close: a statement still waiting would block that
            }
            assertTrue(cancelled != null && "57014".equals(cancelled.getSQLState()), String.valueOf(cancelled));
            try (ResultSet rs = st.executeQuery("SELECT 7")) {
                assertTrue(rs.next());
                assertEquals(7, rs.getInt(1));
            }
        } finally {
            try (Connection a = admin(); Statement admin = a.createStatement()) {
                admin.execute("RESUME");
            }
        }
    }

    @Test
    void psqlRunsTheAdminCommands() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/psql"))) {
            return;
        }
        String shards = psql("admin", "admin", "SHOW SHARDS");
        assertTrue(shards.contains("s1-replica") && shards.contains("lag_ms"), shards);
        String pools = psql("admin", "admin", "SHOW POOLS");
        assertTrue(pools.contains("s0-primary"), pools);
        String refused = psql("app", "s3cret", "SHOW SHARDS");
        assertTrue(refused.contains("not an admin user"), refused);
    }

    private static String psql(String user, String password, String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("psql",
                "postgresql://" + user + ":" + password + "@127.0.0.1:" + port + "/shardgate", "-X", "-c", command)
                .redirectErrorStream(true);
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "psql finished");
        return text;
    }

    @Test
    void metricsEndpointExposesTheCounters() throws Exception {
        try (Connection c = app(); Statement st = c.createStatement()) {
            for (int i = 0; i < 5; i++) {
                st.executeQuery("SELECT " + i).close();
            }
            st.executeQuery("SELECT count(*) FROM pg_class").close();
        }
        assertTrue(proxy.metricsPort() > 0);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + proxy.metricsPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        String body = r.body();
        double selects = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith("shardgate_statements_total{") && line.contains("kind=\"select\"")
                    && line.contains("route=\"single-shard\"")) {
                selects += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        assertTrue(selects >= 6, "select count " + selects + " in\n" + body);
        assertTrue(body.contains("shardgate_statement_duration_seconds{") && body.contains("quantile=\"0.99\""), body);
        assertTrue(body.contains("shardgate_pool_connections{database=\"s0-primary\",state=\"idle\"}"), body);
        assertTrue(body.contains("shardgate_pool_waiting_clients{database=\"s1-replica\"}"), body);
        assertTrue(body.contains("shardgate_replica_lag_seconds{database=\"s1-replica\",role=\"replica\",shard=\"s1\"}"),
                body);
        assertTrue(body.contains("shardgate_database_up{"), body);
        assertTrue(body.contains("shardgate_client_connections "), body);
        assertTrue(body.contains("shardgate_errors_total{source=\"proxy\"}"), body);
        HttpResponse<String> missing = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + proxy.metricsPort() + "/nope")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
    }
}
