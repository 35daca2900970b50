package io.shardgate.it.proxy;

import io.shardgate.config.ConfigLoader;
import io.shardgate.it.fixture.Role;
import io.shardgate.it.fixture.TestDatabases;
import io.shardgate.proxy.ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * psql driven as a user would: {@code psql -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p PORT -U app app} with a script on
 * stdin, through the proxy onto the two real shards: meta-commands ({@code \d}, {@code \dt}, {@code \l},
 * {@code \conninfo}, whose catalog queries go to the default shard), transactions committed and rolled back,
 * {@code \copy} into a sharded table (rows split by key, checked on each shard) and out of it.
 */
class ProxyClientsPsqlIT {
    static final String TABLE = "ps_users";
    static TestDatabases db;
    static ProxyServer proxy;
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/psql")) && ProxyClientsNodeIT.which("psql") == null) {
            fail("psql is not installed (Debian: apt-get install postgresql-client, as .ci/run does)");
        }
        db = TestDatabases.get();
        String yaml = db.postgresConfigYaml("""
                rules:
                  ps-by-id: { type: hash, shards: [s0, s1] }
                tables:
                  ps_users: { rule: ps-by-id, key: id }
                """, """
                default-shard: s0
                pool: { maximum-size: 4, connection-timeout: 2s }
                proxy:
                  listen: 127.0.0.1:0
                  pool-mode: transaction
                  auth: scram-sha-256
                  users: { app: { password: ps9l } }
                """);
        proxy = new ProxyServer(ConfigLoader.load(db.writeConfig(yaml))).start();
        for (int s = 0; s < 2; s++) {
            try (Connection c = db.connectShard(s, Role.PRIMARY); Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + TABLE);
                st.execute("CREATE TABLE " + TABLE + " (id bigint primary key, name text not null, score int)");
            }
        }
        db.waitForReplicaCatchUp();
        work = Files.createTempDirectory("shardgate-psql-");
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    record Result(int exit, String out) {
    }

    static Result psql(String script, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("psql", "-X", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
                String.valueOf(proxy.port()), "-U", "app"));
        cmd.addAll(List.of(extra));
        cmd.add("app");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", "ps9l");
        pb.environment().put("PGCONNECT_TIMEOUT", "10");
        pb.environment().remove("PGSERVICE");
        Process p = pb.start();
        p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "psql finished: " + out);
        return new Result(p.exitValue(), out);
    }

    static Map<Long, String> rowsOnShard(int shard, String where) throws Exception {
        Map<Long, String> rows = new TreeMap<>();
        try (Connection c = db.connectShard(shard, Role.PRIMARY); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, name FROM " + TABLE + " WHERE " + where)) {
            while (rs.next()) {
                rows.put(rs.getLong(1), rs.getString(2));
            }
        }
        return rows;
    }

    @Test
    void metaCommands() throws Exception {
        Result r = psql("""
                \\conninfo
                \\dt
                \\d ps_users
                \\l
                """);
        assertEquals(0, r.exit(), r.out());
        String out = r.out();
        assertTrue(out.contains("You are connected to database \"app\" as user \"app\" on host \"127.0.0.1\"")
                && out.contains("port \"" + proxy.port() + "\""), out);
        assertTrue(out.matches("(?s).*\\|\\s*ps_users\\s*\\|\\s*table\\s*\\|.*"), "\\dt lists ps_users:\n" + out);
        assertTrue(out.contains("Table \"public.ps_users\""), "\\d ps_users:\n" + out);
        assertTrue(out.matches("(?s).*\\bid\\s*\\|\\s*bigint\\s*\\|.*\\|\\s*not null.*"), out);
        assertTrue(out.matches("(?s).*\\bname\\s*\\|\\s*text\\s*\\|.*"), out);
        assertTrue(out.contains("\"ps_users_pkey\" PRIMARY KEY, btree (id)"), out);
        assertTrue(out.contains("List of databases") && out.contains("template1"), "\\l:\n" + out);
        assertFalse(out.contains("ERROR"), out);
    }

    @Test
    void transactionsCommittedAndRolledBack() throws Exception {
        Result r = psql("""
                BEGIN;
                INSERT INTO ps_users (id, name, score) VALUES (1001, 'tx-a', 1);
                INSERT INTO ps_users (id, name, score) VALUES (1002, 'tx-b', 2);
                SELECT name FROM ps_users WHERE id IN (1001, 1002) ORDER BY id;
                COMMIT;
                BEGIN;
                INSERT INTO ps_users (id, name, score) VALUES (2001, 'gone', 1);
                SELECT count(*) AS inside FROM ps_users WHERE id = 2001;
                ROLLBACK;
                SELECT count(*) AS after_rollback FROM ps_users WHERE id = 2001;
                """);
        assertEquals(0, r.exit(), r.out());
        String out = r.out();
        assertTrue(out.matches("(?s)BEGIN\\s+INSERT 0 1\\s+INSERT 0 1\\s+name\\s+-+\\s+tx-a\\s+tx-b\\s+\\(2 rows\\)\\s+COMMIT\\s+"
                + "BEGIN\\s+INSERT 0 1\\s+inside\\s+-+\\s+1\\s+\\(1 row\\)\\s+ROLLBACK\\s+after_rollback\\s+-+\\s+0\\s+\\(1 row\\)\\s*"),
                out);
        Map<Long, String> all = new TreeMap<>();
        for (int s = 0; s < 2; s++) {
            all.putAll(rowsOnShard(s, "id IN (1001, 1002, 2001)"));
        }
        assertEquals(Map.of(1001L, "tx-a", 1002L, "tx-b"), all);

        // ON_ERROR_STOP: an error ends psql with exit code 3 and nothing after it runs
        Result failed = psql("""
                SELECT * FROM ps_no_such_table;
                INSERT INTO ps_users (id, name) VALUES (3001, 'never');
                """);
        assertEquals(3, failed.exit(), failed.out());
        assertTrue(failed.out().contains("relation \"ps_no_such_table\" does not exist"), failed.out());
        for (int s = 0; s < 2; s++) {
            assertEquals(Map.of(), rowsOnShard(s, "id = 3001"));
        }
    }

    @Test
    void copyInSplitsRowsByKeyAndCopyOutReadsThemBack() throws Exception {
        StringBuilder csv = new StringBuilder();
        Map<Long, String> expected = new TreeMap<>();
        for (long id = 100; id < 160; id++) {
            String name = id % 7 == 0 ? "comma, \"quoted\" " + id : "copied" + id;
            expected.put(id, name);
            csv.append(id).append(',').append(name.contains(",") ? "\"" + name.replace("\"", "\"\"") + "\"" : name)
                    .append(',').append(id % 5).append('\n');
        }
        Files.writeString(work.resolve("in.csv"), csv.toString());
        Result r = psql("""
                \\copy ps_users FROM 'in.csv' CSV
                \\copy (SELECT id, name FROM ps_users WHERE id = 106) TO 'one.csv' CSV
                \\copy ps_users TO 'all.csv' CSV
                SELECT count(*) AS copied FROM ps_users WHERE id >= 100 AND id < 160;
                """);
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("COPY 60"), r.out());
        assertTrue(r.out().matches("(?s).*copied\\s+-+\\s+60\\s+\\(1 row\\).*"), r.out());

        Map<Long, String> s0 = rowsOnShard(0, "id >= 100 AND id < 160");
        Map<Long, String> s1 = rowsOnShard(1, "id >= 100 AND id < 160");
        assertFalse(s0.isEmpty(), "rows on s0");
        assertFalse(s1.isEmpty(), "rows on s1");
        Map<Long, String> union = new TreeMap<>(s0);
        union.putAll(s1);
        assertEquals(expected, union);
        assertEquals(60, s0.size() + s1.size(), "each row on one shard only");
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/app",
                "app", "ps9l"); Statement st = c.createStatement()) {
            for (long id : List.of(100L, 101L, 133L, 159L)) {
                try (ResultSet rs = st.executeQuery("EXPLAIN ROUTE SELECT * FROM ps_users WHERE id = " + id)) {
                    assertTrue(rs.next());
                    assertEquals(s0.containsKey(id) ? "s0" : "s1", rs.getString("shard"), "id " + id);
                }
            }
        }

        assertEquals("106,copied106\n", Files.readString(work.resolve("one.csv")));
        List<String> lines = Files.readAllLines(work.resolve("all.csv"));
        List<String> copiedLines = lines.stream().filter(l -> {
            long id = Long.parseLong(l.substring(0, l.indexOf(',')));
            return id >= 100 && id < 160;
        }).sorted().toList();
        List<String> expectedLines = csv.toString().lines().sorted().toList();
        assertEquals(expectedLines, copiedLines);
        assertNotEquals(0, lines.size());
    }
}
