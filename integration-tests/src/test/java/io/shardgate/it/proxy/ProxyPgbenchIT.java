package io.shardgate.it.proxy;

import io.shardgate.config.ConfigLoader;
import io.shardgate.it.fixture.Role;
import io.shardgate.it.fixture.TestDatabases;
import io.shardgate.proxy.ProxyServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * pgbench, a client no one here wrote, through the proxy: {@code -i} (COPY split by aid) and TPC-B-like runs with
 * {@code -M simple}, {@code extended} and {@code prepared}; then the shards are checked directly.
 */
class ProxyPgbenchIT {

    private static String pgbench(int port, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("pgbench", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "app"));
        cmd.addAll(List.of(args));
        cmd.add("app");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", "bench");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "pgbench finished: " + out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static long single(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void pgbenchInitAndAllThreeProtocolsKeepTheShardsConsistent() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/pgbench")), "pgbench not installed");
        TestDatabases db = TestDatabases.get();
        String yaml = db.postgresConfigYaml("""
                rules:
                  bench-by-aid: { type: hash, shards: [s0, s1] }
                tables:
                  pgbench_accounts: { rule: bench-by-aid, key: aid }
                  pgbench_history:  { rule: bench-by-aid, key: aid }
                  pgbench_branches: { reference: true }
                  pgbench_tellers:  { reference: true }
                """, """
                default-shard: s0
                read-write: { replica-reads: false }
                proxy:
                  listen: 127.0.0.1:0
                  auth: scram-sha-256
                  users: { app: { password: bench } }
                """);
        try (ProxyServer proxy = new ProxyServer(ConfigLoader.load(db.writeConfig(yaml))).start()) {
            pgbench(proxy.port(), "-i", "-s", "1", "-q");
            long[] accounts = new long[2];
            for (int s = 0; s < 2; s++) {
                try (Connection c = db.connectShard(s, Role.PRIMARY)) {
                    accounts[s] = single(c, "SELECT count(*) FROM pgbench_accounts");
                    assertEquals(1, single(c, "SELECT count(*) FROM pgbench_branches"));
                    assertEquals(10, single(c, "SELECT count(*) FROM pgbench_tellers"));
                }
            }
            assertEquals(100_000, accounts[0] + accounts[1]);
            assertTrue(accounts[0] > 40_000 && accounts[1] > 40_000, "split by aid: " + accounts[0] + "/" + accounts[1]);

            for (String mode : new String[] {"simple", "extended", "prepared"}) {
                String out = pgbench(proxy.port(), "-M", mode, "-c", "4", "-j", "2", "-t", "50");
                assertTrue(out.contains("number of transactions actually processed: 200/200"), out);
                // every transaction moved the same delta on its account, teller and branch
                long accountSum = 0;
                long[] branch = new long[2];
                long[] teller = new long[2];
                for (int s = 0; s < 2; s++) {
                    try (Connection c = db.connectShard(s, Role.PRIMARY)) {
                        accountSum += single(c, "SELECT coalesce(sum(abalance), 0) FROM pgbench_accounts");
                        branch[s] = single(c, "SELECT sum(bbalance) FROM pgbench_branches");
                        teller[s] = single(c, "SELECT sum(tbalance) FROM pgbench_tellers");
                    }
                }
                assertEquals(branch[0], branch[1], mode + ": the reference copies agree");
                assertEquals(teller[0], teller[1], mode + ": the reference copies agree");
                assertEquals(branch[0], teller[0], mode);
                assertEquals(branch[0], accountSum, mode);
            }
        }
    }
}
