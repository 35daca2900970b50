package io.shardgate.it.proxy;

import io.shardgate.config.ConfigLoader;
import io.shardgate.it.fixture.Role;
import io.shardgate.it.fixture.TestDatabases;
import io.shardgate.proxy.ProxyServer;
import io.shardgate.rule.ShardHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * pgbench, a client no one here wrote, end to end through the proxy onto the fixture's two PostgreSQL shards:
 * {@code pgbench -i -s 1} (DDL on every shard, COPY of pgbench_accounts split by key, VACUUM, primary keys), then
 * TPC-B-like runs with {@code -M simple}, {@code -M extended} and {@code -M prepared}, each checked on the shards
 * directly.
 *
 * <p>Layout: pgbench_accounts and pgbench_history are hashed on {@code aid} (co-located: a transaction's history row
 * lands on the shard of its account), pgbench_branches and pgbench_tellers are reference tables, so the UPDATEs by
 * bid/tid of every transaction reach every shard (one after the other in shard order, see ClientSession).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgbenchIT {
    static final String RULES = """
            rules:
              pgb-by-aid: { type: hash, shards: [s0, s1] }
            tables:
              pgbench_accounts: { rule: pgb-by-aid, key: aid }
              pgbench_history:  { rule: pgb-by-aid, key: aid }
              pgbench_branches: { reference: true }
              pgbench_tellers:  { reference: true }
            """;
    static final int ACCOUNTS = 100_000; // scale 1
    static TestDatabases db;
    static ProxyServer proxy;
    static int port;
    static String pgbench;
    static long transactions; // run by the -M runs so far

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabases.get();
        pgbench = findPgbench();
        String yaml = db.postgresConfigYaml(RULES, """
                default-shard: s0
                read-write: { balancer: round-robin, max-replica-lag: 2s, read-your-writes: 1s }
                pool: { maximum-size: 8, connection-timeout: 10s }
                proxy:
                  listen: 127.0.0.1:0
                  pool-mode: transaction
                  auth: md5
                  users: { bench: { password: pgb } }
                """);
        proxy = new ProxyServer(ConfigLoader.load(db.writeConfig(yaml))).start();
        port = proxy.port();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (proxy != null) {
                pgbench("-i", "-I", "d"); // drops the pgbench tables on every shard
            }
        } finally {
            if (proxy != null) {
                proxy.close();
            }
        }
    }

    @Test
    @Order(1)
    void initialisesThroughTheProxyWithAccountsSplitByKey() throws Exception {
        String out = pgbench("-i", "-s", "1");
        assertTrue(out.contains("done in"), out);
        long total = 0;
        long sumOfAids = 0;
        for (int shard = 0; shard < 2; shard++) {
            try (Connection c = db.connectShard(shard, Role.PRIMARY); Statement st = c.createStatement()) {
                assertEquals(1, count(st, "SELECT count(*) FROM pgbench_branches"), "branches on s" + shard);
                assertEquals(10, count(st, "SELECT count(*) FROM pgbench_tellers"), "tellers on s" + shard);
                assertEquals(0, count(st, "SELECT count(*) FROM pgbench_history"), "history on s" + shard);
                assertEquals(1, count(st, "SELECT count(*) FROM pg_indexes WHERE indexname = 'pgbench_accounts_pkey'"),
                        "primary key created on s" + shard);
                long n = 0;
                try (ResultSet rs = st.executeQuery("SELECT aid FROM pgbench_accounts")) {
                    while (rs.next()) {
                        int aid = rs.getInt(1);
                        // two shards over equal token ranges: s0 owns the negative tokens, s1 the others
                        int owner = ShardHash.token(aid) < 0 ? 0 : 1;
                        if (owner != shard) {
                            fail("aid " + aid + " is on s" + shard + " but hashes to s" + owner);
                        }
                        n++;
                        sumOfAids += aid;
                    }
                }
                assertTrue(n > ACCOUNTS / 3, "s" + shard + " has only " + n + " accounts");
                total += n;
            }
        }
        assertEquals(ACCOUNTS, total);
        assertEquals((long) ACCOUNTS * (ACCOUNTS + 1) / 2, sumOfAids, "every aid 1..100000 exactly once");
    }

    @Test
    @Order(2)
    void simpleProtocol() throws Exception {
        runAndCheck("simple");
    }

    @Test
    @Order(3)
    void extendedProtocol() throws Exception {
        runAndCheck("extended");
    }

    @Test
    @Order(4)
    void preparedStatements() throws Exception {
        runAndCheck("prepared");
    }

    /** A TPC-B-like run in one protocol mode, then the balances on the shards agree with the history rows. */
    private void runAndCheck(String mode) throws Exception {
        String out = pgbench("-M", mode, "-c", "4", "-j", "2", "-T", "3", "-n");
        Matcher processed = Pattern.compile("number of transactions actually processed: (\\d+)").matcher(out);
        assertTrue(processed.find(), out);
        long n = Long.parseLong(processed.group(1));
        assertTrue(n > 0, out);
        assertTrue(out.contains("number of failed transactions: 0 "), out);
        transactions += n;
        System.out.println("[pgbench -M " + mode + "] " + n + " transactions through the proxy, "
                + out.lines().filter(l -> l.startsWith("tps")).findFirst().orElse(""));

        long totalDelta = 0;
        long totalBalance = 0;
        long historyRows = 0;
        long[] branchSums = new long[2];
        long[] tellerSums = new long[2];
        for (int shard = 0; shard < 2; shard++) {
            try (Connection c = db.connectShard(shard, Role.PRIMARY); Statement st = c.createStatement()) {
                long balance = count(st, "SELECT coalesce(sum(abalance), 0) FROM pgbench_accounts");
                long delta = count(st, "SELECT coalesce(sum(delta), 0) FROM pgbench_history");
                // history is co-located with accounts: each shard's balances are its own history's deltas
                assertEquals(delta, balance, mode + ": sum(abalance) vs sum(delta) on s" + shard);
                assertEquals(0, count(st, "SELECT count(*) FROM pgbench_history h WHERE NOT EXISTS "
                        + "(SELECT 1 FROM pgbench_accounts a WHERE a.aid = h.aid)"), "history rows without their account on s" + shard);
                totalBalance += balance;
                totalDelta += delta;
                historyRows += count(st, "SELECT count(*) FROM pgbench_history");
                branchSums[shard] = count(st, "SELECT sum(bbalance) FROM pgbench_branches");
                tellerSums[shard] = count(st, "SELECT sum(tbalance) FROM pgbench_tellers");
            }
        }
        assertEquals(totalDelta, totalBalance, mode + ": sum of abalance over the shards vs sum of history deltas");
        assertEquals(transactions, historyRows, mode + ": one history row per transaction pgbench counted");
        for (int shard = 0; shard < 2; shard++) {
            // reference tables: every shard's copy got every transaction's update
            assertEquals(totalDelta, branchSums[shard], mode + ": branch balance on s" + shard);
            assertEquals(totalDelta, tellerSums[shard], mode + ": teller balance on s" + shard);
        }
    }

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getLong(1);
        }
    }

    /** Runs pgbench against the proxy; asserts exit 0 within two minutes and returns its output. */
    private static String pgbench(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(pgbench, "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "bench"));
        cmd.addAll(Arrays.asList(args));
        cmd.add("app");
        Path log = Files.createTempFile("pgbench-it", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("PGPASSWORD", "pgb");
            pb.environment().put("LC_ALL", "C");
            Process p = pb.start();
            p.getOutputStream().close();
            boolean done = p.waitFor(2, TimeUnit.MINUTES);
            if (!done) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(done, "pgbench " + String.join(" ", args) + " did not finish in 2 minutes:\n" + out);
            assertEquals(0, p.exitValue(), "pgbench " + String.join(" ", args) + ":\n" + out);
            return out;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** pgbench from {@code pg_config --bindir}, else from PATH. */
    private static String findPgbench() {
        try {
            Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String dir = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && Files.isExecutable(Path.of(dir, "pgbench"))) {
                return Path.of(dir, "pgbench").toString();
            }
        } catch (Exception e) {
            // no pg_config: fall back to PATH
        }
        return "pgbench";
    }
}
