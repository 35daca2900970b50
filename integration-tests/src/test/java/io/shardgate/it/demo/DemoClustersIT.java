package io.shardgate.it.demo;

import io.shardgate.config.ConfigLoader;
import io.shardgate.config.ShardgateConfig;
import io.shardgate.demo.DemoClusters;
import io.shardgate.demo.DemoConfig;
import io.shardgate.demo.DemoData;
import io.shardgate.demo.PgBinaries;
import io.shardgate.proxy.ProxyServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code shardgate demo} stands on: two shards, each a primary and a real streaming replica, with the demo data
 * placed where the router says, and nothing left behind after close. The main test runs the embedded (Maven Central)
 * binaries, the path of a machine without PostgreSQL; the kept-and-resumed test runs the local ones when installed.
 */
class DemoClustersIT {
    @Test
    void twoShardsWithStreamingReplicasHoldTheDemoDataWhereTheRouterSays() throws Exception {
        PgBinaries.Source source = PgBinaries.Source.EMBEDDED;
        long t0 = System.nanoTime();
        DemoClusters clusters = DemoClusters.start(DemoClusters.Options.defaults().withSource(source)
                .withProgress(System.err));
        Path base = clusters.baseDir();
        List<Integer> ports = new ArrayList<>();
        try {
            assertEquals(2, clusters.shards().size());
            int proxyPort = freePort();
            ShardgateConfig config = DemoConfig.write(clusters, proxyPort, clusters.configFile());
            DemoData.Summary summary = DemoData.load(config);
            System.err.println("[demo-it] " + source + ": up and loaded in " + (System.nanoTime() - t0) / 1_000_000
                    + " ms: " + summary);
            assertEquals(DemoData.USERS, summary.users());
            clusters.awaitReplicasCaughtUp(Duration.ofSeconds(30));

            int users = 0;
            int orders = 0;
            for (DemoClusters.Shard s : clusters.shards()) {
                ports.add(s.primary().port());
                ports.add(s.replica().port());
                assertFalse(DemoClusters.inRecovery(s.primary()), s.name() + " primary");
                assertTrue(DemoClusters.inRecovery(s.replica()), s.name() + " replica is a standby");
                try (Connection c = s.primary().connectAsSuperuser("postgres"); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("select application_name, state from pg_stat_replication")) {
                    assertTrue(rs.next(), s.name() + ": a replica is connected");
                    assertEquals(s.replica().name(), rs.getString(1));
                    assertEquals("streaming", rs.getString(2));
                }
                try (Connection c = s.primary().connectAsSuperuser("postgres"); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("select rolpassword from pg_authid where rolname = 'demo'")) {
                    assertTrue(rs.next());
                    assertTrue(rs.getString(1).startsWith("SCRAM-SHA-256$"), "demo's password is SCRAM");
                }
                try (Connection primary = s.primary().connectAsDemo();
                     Connection replica = s.replica().connectAsDemo()) {
                    for (long id : longs(primary, "select id from users")) {
                        assertEquals(DemoData.shardOfUser(config, id), s.name(), "user " + id);
                        users++;
                    }
                    for (long userId : longs(primary, "select distinct user_id from orders")) {
                        assertEquals(DemoData.shardOfUser(config, userId), s.name(), "orders of user " + userId);
                    }
                    assertEquals(0, longs(primary, "select o.user_id from orders o left join users u "
                            + "on u.id = o.user_id where u.id is null").size(), "every order's user is on its shard");
                    orders += longs(primary, "select count(*) from orders").get(0);
                    assertEquals(20L, longs(primary, "select count(*) from countries").get(0), "reference table");
                    for (String q : List.of("select count(*), coalesce(sum(id), 0) from users",
                            "select count(*), coalesce(sum(amount * 100)::bigint, 0) from orders",
                            "select count(*), 0 from countries")) {
                        assertEquals(longs2(primary, q), longs2(replica, q), s.name() + " replica has the data: " + q);
                    }
                }
            }
            assertEquals(DemoData.USERS, users, "every user is on exactly one shard");
            assertEquals(summary.orders(), orders);

            // what `shardgate demo` prints for Java: the driver over the written configuration finds every row
            try (Connection c = DriverManager.getConnection("jdbc:shardgate:" + clusters.configFile())) {
                assertEquals(List.of((long) DemoData.USERS), longs(c, "select count(*) from users"));
                assertEquals(List.of((long) summary.orders()), longs(c, "select count(*) from orders"));
                try (PreparedStatement ps = c.prepareStatement("select count(*) from users u join orders o "
                        + "on o.user_id = u.id where u.id = ?")) {
                    long found = 0;
                    for (long id = 1; id <= DemoData.USERS; id += 97) {
                        ps.setLong(1, id);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            found += rs.getLong(1);
                        }
                        try (Statement st = c.createStatement();
                             ResultSet rs = st.executeQuery("select email from users where id = " + id)) {
                            assertTrue(rs.next(), "user " + id + " through the driver");
                        }
                    }
                    assertTrue(found > 0, "orders joined to their users on one shard");
                }
            }

            // and what it prints for psql: the proxy over the same configuration finds every row
            try (ProxyServer proxy = new ProxyServer(ConfigLoader.load(clusters.configFile())).start();
                 Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/demo",
                         "demo", "demo")) {
                assertEquals(List.of((long) DemoData.USERS), longs(c, "select count(*) from users"));
                assertEquals(List.of((long) summary.orders()), longs(c, "select count(*) from orders"));
                assertEquals(List.of(20L), longs(c, "select count(*) from countries"));
                try (PreparedStatement ps = c.prepareStatement("select id from users where id = ?")) {
                    for (long id = 1; id <= DemoData.USERS; id += 89) {
                        ps.setLong(1, id);
                        try (ResultSet rs = ps.executeQuery()) {
                            assertTrue(rs.next(), "user " + id + " through the proxy");
                            assertEquals(id, rs.getLong(1));
                        }
                    }
                }
            }
        } finally {
            clusters.close();
        }
        assertFalse(Files.exists(base), base + " removed");
        assertEquals(List.of(), processesMentioning(base.toString()), "no server left running");
        for (int port : ports) {
            assertFalse(listening(port), "nothing listens on " + port);
        }
        System.err.println("[demo-it] " + source + ": whole test " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    @Test
    void aKeptDemoResumesWithItsDataAndIsRemovedWhenNotKept() throws Exception {
        long t0 = System.nanoTime();
        Path dir = Files.createTempDirectory("shardgate-demo-kept");
        try {
            DemoClusters.Options options = DemoClusters.Options.defaults().withDataDir(dir).withProgress(System.err);
            try (DemoClusters first = DemoClusters.start(options.withKeep(true))) {
                assertFalse(first.resumed());
                for (DemoClusters.Shard s : first.shards()) {
                    try (Connection c = s.primary().connectAsDemo(); Statement st = c.createStatement()) {
                        st.execute("create table kept (shard text)");
                        st.execute("insert into kept values ('" + s.name() + "')");
                    }
                }
            }
            assertTrue(Files.exists(dir.resolve("s0/primary/PG_VERSION")), "kept");
            assertEquals(List.of(), processesMentioning(dir.toString()), "no server left running");

            List<Integer> ports = new ArrayList<>();
            try (DemoClusters again = DemoClusters.start(options)) {
                assertTrue(again.resumed());
                again.awaitReplicasCaughtUp(Duration.ofSeconds(30));
                for (DemoClusters.Shard s : again.shards()) {
                    ports.add(s.primary().port());
                    ports.add(s.replica().port());
                    assertTrue(DemoClusters.inRecovery(s.replica()), s.name() + " replica is a standby again");
                }
                for (DemoClusters.Shard s : again.shards()) {
                    try (Connection c = s.replica().connectAsDemo(); Statement st = c.createStatement();
                         ResultSet rs = st.executeQuery("select shard from kept")) {
                        assertTrue(rs.next(), s.name() + ": the kept row");
                        assertEquals(s.name(), rs.getString(1));
                    }
                }
            }
            assertFalse(Files.exists(dir), "not kept the second time: " + dir + " removed");
            assertEquals(List.of(), processesMentioning(dir.toString()), "no server left running");
            for (int port : ports) {
                assertFalse(listening(port), "nothing listens on " + port);
            }
        } finally {
            if (Files.exists(dir)) {
                try {
                    // stops whatever a failed assertion left and removes it
                    DemoClusters.start(DemoClusters.Options.defaults().withDataDir(dir)).close();
                } catch (RuntimeException ignored) {
                    // best effort
                }
            }
        }
        System.err.println("[demo-it] kept and resumed: " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    private static List<Long> longs(Connection c, String sql) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    private static List<Long> longs2(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return List.of(rs.getLong(1), rs.getLong(2));
        }
    }

    private static List<String> processesMentioning(String text) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                if (!p.getFileName().toString().matches("\\d+")) {
                    continue;
                }
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                    if (cmd.contains(text)) {
                        found.add(p.getFileName() + ": " + cmd);
                    }
                } catch (IOException gone) {
                    // the process ended meanwhile
                }
            }
        }
        return found;
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
