package io.shardgate.it.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardgate.config.ConfigLoader;
import io.shardgate.it.fixture.Role;
import io.shardgate.it.fixture.TestDatabases;
import io.shardgate.proxy.ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * node-postgres (npm {@code pg}), a client no one here wrote, through the proxy: SCRAM login, simple and
 * parameterised queries (extended protocol), a named prepared statement run several times, a transaction with an
 * error and ROLLBACK, merged multi-shard reads and EXPLAIN ROUTE. The script ({@code src/test/node/pg-client.js})
 * prints JSON; the rows are then checked on each shard directly. Node.js is required: without it the test fails
 * and says how to install it (.ci/run installs nodejs and npm).
 */
class ProxyClientsNodeIT {
    static final String TABLE = "nd_users";
    static TestDatabases db;
    static ProxyServer proxy;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabases.get();
        String yaml = db.postgresConfigYaml("""
                rules:
                  nd-by-id: { type: hash, shards: [s0, s1] }
                tables:
                  nd_users: { rule: nd-by-id, key: id }
                """, """
                default-shard: s0
                pool: { maximum-size: 4, connection-timeout: 2s }
                proxy:
                  listen: 127.0.0.1:0
                  pool-mode: transaction
                  auth: scram-sha-256
                  users: { app: { password: n0de } }
                """);
        proxy = new ProxyServer(ConfigLoader.load(db.writeConfig(yaml))).start();
        for (int s = 0; s < 2; s++) {
            try (Connection c = db.connectShard(s, Role.PRIMARY); Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + TABLE);
                st.execute("CREATE TABLE " + TABLE + " (id bigint primary key, name text, score int)");
            }
        }
        db.waitForReplicaCatchUp();
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    /** The node project: {@code integration-tests/src/test/node}, with {@code npm ci} run when node_modules is missing. */
    static Path nodeProject() throws Exception {
        Path root = Path.of(System.getProperty("shardgate.root", ".."));
        Path dir = root.resolve("integration-tests/src/test/node");
        if (!Files.isDirectory(dir)) {
            dir = Path.of("src/test/node");
        }
        assertTrue(Files.isRegularFile(dir.resolve("package-lock.json")), "no node project at " + dir.toAbsolutePath());
        String node = which("node");
        String npm = which("npm");
        if (node == null || npm == null) {
            fail("node-postgres test: " + (node == null ? "node" : "npm") + " is not installed (needs Node.js and npm "
                    + "on the PATH; on Debian: apt-get install nodejs npm, as .ci/run does)");
        }
        if (!Files.isDirectory(dir.resolve("node_modules/pg"))) {
            Process p = new ProcessBuilder(npm, "ci", "--no-audit", "--no-fund").directory(dir.toFile())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(300, TimeUnit.SECONDS), "npm ci finished");
            assertEquals(0, p.exitValue(), "npm ci in " + dir + " failed:\n" + out);
        }
        return dir;
    }

    static String which(String cmd) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(java.io.File.pathSeparator)) {
            Path p = Path.of(d, cmd);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    static JsonNode runScript(Path dir, String script, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(which("node"), script).directory(dir.toFile());
        pb.environment().putAll(env);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "node finished");
        String last = out.strip();
        last = last.substring(last.lastIndexOf('\n') + 1);
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(last);
        } catch (IOException e) {
            throw new AssertionError("node printed no JSON (exit " + p.exitValue() + "):\n" + out, e);
        }
        assertEquals(0, p.exitValue(), "node " + script + " failed: " + json.toPrettyString());
        return json;
    }

    @Test
    void nodePostgresThroughTheProxy() throws Exception {
        Path dir = nodeProject();
        JsonNode r = runScript(dir, "pg-client.js", Map.of("PGHOST", "127.0.0.1", "PGPORT", String.valueOf(proxy.port()),
                "PGUSER", "app", "PGPASSWORD", "n0de", "PGDATABASE", "app", "ND_USERS", TABLE));

        // what the script saw
        assertTrue(r.path("connected").asBoolean(), r.toPrettyString());
        assertEquals(1, r.path("simple").path("one").asInt());
        assertEquals("x", r.path("simple").path("letter").asText());
        assertEquals(20, r.path("inserted").asInt());
        assertEquals("user7", r.path("byId").path("name").asText());
        assertEquals(7 * 3 % 11, r.path("byId").path("score").asInt());
        assertEquals(List.of("user3", "user11", "user19", "user3"), texts(r.path("named")));
        assertEquals("23505", r.path("txError").asText(), "duplicate key inside the transaction");
        assertEquals("25P02", r.path("afterError").asText(), "aborted transaction until ROLLBACK");
        assertEquals(0, r.path("afterRollback").asInt());

        Map<Long, Integer> expected = new TreeMap<>();
        for (long id = 1; id <= 20; id++) {
            expected.put(id, (int) (id * 3 % 11));
        }
        expected.put(21L, 5);
        expected.put(22L, 6);
        assertEquals(List.of(22L, 21L, 20L, 19L, 18L), longs(r.path("top5")));
        assertEquals(expected.size(), r.path("aggregate").path("n").asInt());
        assertEquals(expected.values().stream().mapToInt(Integer::intValue).sum(), r.path("aggregate").path("total").asInt());
        assertEquals(22, r.path("aggregate").path("maxid").asInt());
        Map<Integer, Integer> groups = new TreeMap<>();
        expected.values().stream().filter(s -> s >= 5).forEach(s -> groups.merge(s, 1, Integer::sum));
        List<List<Long>> expectedGroups = new ArrayList<>();
        groups.forEach((score, n) -> expectedGroups.add(List.of((long) score, (long) n)));
        List<List<Long>> gotGroups = new ArrayList<>();
        r.path("groups").forEach(g -> gotGroups.add(longs(g)));
        assertEquals(expectedGroups, gotGroups);
        assertEquals(expected.size(), r.path("countInt").path("n").asInt());
        assertEquals("number", r.path("countInt").path("type").asText(), "count(*)::int is an int4 column");
        assertEquals(2, r.path("anyUpdated").asInt());
        assertEquals("22P02", r.path("bindError").asText());
        assertEquals("INSERT", r.path("insertReturning").path("command").asText());
        assertEquals(4, r.path("insertReturning").path("rowCount").asInt());
        assertEquals(4, r.path("insertReturning").path("rows").asInt());
        assertEquals("DELETE", r.path("deleteReturning").path("command").asText());
        assertEquals(4, r.path("deleteReturning").path("rowCount").asInt());
        assertEquals(List.of("shard", "role", "database", "sql"), texts(r.path("explainColumns")));
        assertEquals(1, r.path("explain").size());
        assertEquals(List.of("s0", "s1"), texts(r.path("explainAll")));
        assertEquals("42P01", r.path("missingTable").asText());
        assertEquals(2, r.path("stillUsable").asInt());
        assertTrue(r.path("ended").asBoolean());

        // the shards themselves: every row once, on the shard EXPLAIN ROUTE names; id 7 where node was told
        Map<Long, Integer> found = new TreeMap<>();
        Map<Long, String> shardOf = new TreeMap<>();
        for (int s = 0; s < 2; s++) {
            try (Connection c = db.connectShard(s, Role.PRIMARY); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT id, name, score FROM " + TABLE)) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    assertEquals(null, found.put(id, rs.getInt(3)), "id " + id + " on two shards");
                    assertEquals("user" + id, rs.getString(2));
                    shardOf.put(id, "s" + s);
                }
            }
        }
        assertEquals(expected, found);
        assertTrue(shardOf.containsValue("s0") && shardOf.containsValue("s1"), "rows on both shards: " + shardOf);
        assertEquals(shardOf.get(7L), r.path("explain").get(0).asText());
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/app",
                props()); Statement st = c.createStatement()) {
            for (Map.Entry<Long, String> e : shardOf.entrySet()) {
                try (ResultSet rs = st.executeQuery("EXPLAIN ROUTE SELECT * FROM " + TABLE + " WHERE id = " + e.getKey())) {
                    assertTrue(rs.next());
                    assertEquals(e.getValue(), rs.getString("shard"), "id " + e.getKey());
                }
            }
        }
    }

    private static Properties props() {
        Properties p = new Properties();
        p.setProperty("user", "app");
        p.setProperty("password", "n0de");
        return p;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.isNull() ? null : n.asText()));
        return out;
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asLong()));
        return out;
    }
}
