package io.shardgate.cli;

import io.shardgate.config.ShardgateConfig;
import io.shardgate.demo.DemoClusters;
import io.shardgate.demo.DemoConfig;
import io.shardgate.demo.DemoData;
import io.shardgate.demo.PgBinaries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code shardgate demo}: two PostgreSQL shards, each a primary and a streaming replica, with demo data, and the proxy
 * in front of them on 127.0.0.1:6432. Runs until Ctrl-C, which stops everything and removes the data unless --keep.
 */
@Command(name = "demo", description = {
        "Start two PostgreSQL shards (primary + streaming replica each) with demo data, and shardgate in front of them.",
        "Needs nothing but Java: PostgreSQL comes from Maven Central (local binaries are used when installed).",
        "Ctrl-C stops everything and removes the data (unless --keep)."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "6432", paramLabel = "PORT",
            description = "port of the proxy on 127.0.0.1 (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--keep", description = "keep the data directory when stopping")
    boolean keep;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "where the servers' data goes (default: a new temporary directory)")
    Path dataDir;

    @Option(names = "--postgres", defaultValue = "auto", paramLabel = "auto|embedded|local",
            description = "which PostgreSQL binaries: local ones when installed, else the embedded ones (auto), "
                    + "or force one (default ${DEFAULT-VALUE})")
    String postgres;

    @Override
    public Integer call() throws Exception {
        // keep the instructions readable: pool and binary-unpacking chatter only when asked for
        for (String quiet : List.of("com.zaxxer.hikari", "io.zonky")) {
            if (System.getProperty("org.slf4j.simpleLogger.log." + quiet) == null) {
                System.setProperty("org.slf4j.simpleLogger.log." + quiet, "warn");
            }
        }
        PrintStream out = System.out;
        PgBinaries.Source source;
        try {
            source = PgBinaries.Source.valueOf(postgres.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            System.err.println("shardgate demo: --postgres must be auto, embedded or local");
            return 2;
        }
        long t0 = System.nanoTime();
        out.println("[demo] starting two PostgreSQL shards, each a primary and a streaming replica...");
        DemoClusters clusters;
        try {
            clusters = DemoClusters.start(DemoClusters.Options.defaults().withDataDir(dataDir).withKeep(keep)
                    .withSource(source).withProgress(out));
        } catch (RuntimeException e) {
            System.err.println("shardgate demo: " + e.getMessage());
            return 1;
        }
        AutoCloseable[] proxy = {null};
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            System.out.println();
            System.out.println("[demo] stopping...");
            closeQuietly(proxy[0]);
            try {
                clusters.close();
                System.out.println(keep ? "[demo] stopped; the data is kept in " + clusters.baseDir()
                        : "[demo] stopped; removed " + clusters.baseDir());
            } catch (RuntimeException e) {
                System.err.println("[demo] while stopping: " + e.getMessage());
            }
            stopped.countDown();
        }, "shardgate-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);

        Path configFile = clusters.configFile();
        try {
            ShardgateConfig config = DemoConfig.write(clusters, port, configFile);
            if (!clusters.resumed()) {
                DemoData.Summary data = DemoData.load(config);
                out.println("[demo] loaded through the router: " + data);
            }
            clusters.awaitReplicasCaughtUp(Duration.ofSeconds(30));
            out.println("[demo] replicas caught up");
        } catch (RuntimeException e) {
            System.err.println("shardgate demo: " + e.getMessage());
            Runtime.getRuntime().removeShutdownHook(hook);
            hook.run();
            return 1;
        }
        try {
            proxy[0] = startProxy(configFile, port);
        } catch (RuntimeException e) {
            System.err.println("shardgate demo: the proxy did not start: " + e.getMessage());
            Runtime.getRuntime().removeShutdownHook(hook);
            hook.run();
            return 1;
        }
        printNextSteps(out, clusters, configFile, (System.nanoTime() - t0) / 1_000_000);
        stopped.await(); // until Ctrl-C; the hook stops everything
        return 0;
    }

    /**
     * Starts shardgate's PostgreSQL proxy on 127.0.0.1:{@code port} with {@code configFile}, returns a handle that
     * stops it.
     */
    static AutoCloseable startProxy(Path configFile, int port) throws InterruptedException {
        return new io.shardgate.proxy.ProxyServer(io.shardgate.config.ConfigLoader.load(configFile)).start();
    }

    /** Statements the demo suggests; {@code DemoCommandTest} routes each one offline. */
    static final List<String> EXAMPLES = List.of(
            "SELECT * FROM users WHERE id = 42",
            "EXPLAIN ROUTE SELECT * FROM users WHERE id = 42",
            "EXPLAIN ROUTE SELECT u.name, count(*), sum(o.amount) FROM users u JOIN orders o ON o.user_id = u.id "
                    + "WHERE u.id = 42 GROUP BY u.name",
            "EXPLAIN ROUTE SELECT count(*), sum(amount) FROM orders",
            "EXPLAIN ROUTE SELECT * FROM users ORDER BY id LIMIT 5",
            "EXPLAIN ROUTE SELECT * FROM countries ORDER BY name",
            "EXPLAIN ROUTE INSERT INTO users (id, name, email) VALUES (5001, 'Ada', 'ada@example.com'), "
                    + "(5002, 'Alan', 'alan@example.com')");

    private void printNextSteps(PrintStream out, DemoClusters clusters, Path configFile, long millis) {
        out.println();
        out.printf("shardgate demo is ready (%.1f s)%n", millis / 1000.0);
        for (DemoClusters.Shard s : clusters.shards()) {
            out.printf("  shard %s: primary 127.0.0.1:%d, streaming replica 127.0.0.1:%d%n", s.name(),
                    s.primary().port(), s.replica().port());
        }
        out.println("  configuration: " + configFile);
        out.println();
        out.println("Connect through shardgate with psql (password demo):");
        out.println("  psql \"postgresql://demo:demo@127.0.0.1:" + port + "/demo\"");
        out.println("and try:");
        for (String e : EXAMPLES) {
            out.println("  " + e + ";");
        }
        out.println();
        out.println("Admin console:");
        out.println("  psql \"postgresql://admin:admin@127.0.0.1:" + port + "/shardgate\" -c 'SHOW SHARDS'");
        out.println();
        out.println("From Java, with the shardgate JDBC driver on the classpath (mvn -pl jdbc-driver -am package "
                + "builds jdbc-driver/target/shardgate-jdbc-*.jar):");
        out.println("  jdbc:shardgate:" + configFile);
        out.println("Offline plan of any statement:");
        out.println("  ./shardgate explain --config " + configFile + " \"SELECT * FROM orders WHERE user_id = 42\"");
        DemoClusters.Shard s0 = clusters.shards().get(0);
        out.println("A shard directly (to see what shardgate hides):");
        out.println("  psql \"postgresql://demo:demo@127.0.0.1:" + s0.primary().port() + "/demo\"");
        out.println();
        out.println("Ctrl-C stops everything and " + (clusters.keep() ? "keeps " : "removes ") + clusters.baseDir()
                + (clusters.keep() ? "." : " (--keep keeps it)."));
        out.println();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            System.err.println("[demo] while stopping the proxy: " + e.getMessage());
        }
    }
}
