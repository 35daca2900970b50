package io.shardgate.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs {@link PointSelectBenchmark} end to end: creates and loads the two shard databases, writes the shardgate
 * and ShardingSphere configs, runs JMH (each client in its own forked JVM) for one or more rounds, prints JMH's
 * table and a summary with the ratios measured in the same run, and drops the databases.
 *
 * <p>Arguments are {@code key=value}: rows (100000), threads (8), pool (8), warmups (5), warmup (5s),
 * iterations (3), time (8s), forks (1), rounds (2), include (regex over benchmark names), prof (a JMH profiler with
 * its options, e.g. stack or stack:lines=10;top=5 or jfr), host (127.0.0.1), port (5432), user (postgres), password (""), keep (false: drop databases at
 * the end), route (false: also run {@link RouteBenchmark}, the router alone, before the rounds).
 */
public final class BenchMain {
    private static final String[] NAMES = {"baseline", "shardgate", "shardingSphere"};

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("rows", "100000");
        a.put("threads", "8");
        a.put("pool", "8");
        a.put("warmups", "5");
        a.put("warmup", "5s");
        a.put("iterations", "3");
        a.put("time", "8s");
        a.put("forks", "1");
        a.put("rounds", "2");
        a.put("include", "");
        a.put("prof", "");
        a.put("host", "127.0.0.1");
        a.put("port", "5432");
        a.put("user", "postgres");
        a.put("password", "");
        a.put("keep", "false");
        a.put("route", "false");
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 0 || !a.containsKey(arg.substring(0, eq))) {
                throw new IllegalArgumentException("unknown argument " + arg + "; expected key=value with key one of " + a.keySet());
            }
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        int rows = Integer.parseInt(a.get("rows"));
        int pool = Integer.parseInt(a.get("pool"));
        BenchDatabases dbs = new BenchDatabases(a.get("host"), Integer.parseInt(a.get("port")), a.get("user"), a.get("password"));

        boolean shardgateAvailable = classExists("io.shardgate.jdbc.ShardgateDriver");
        String include = a.get("include");
        if (include.isEmpty()) {
            include = shardgateAvailable ? ".*" : "baseline|shardingSphere";
        }
        if (!shardgateAvailable) {
            System.out.println("NOTE: io.shardgate.jdbc.ShardgateDriver is not on the classpath; the shardgate client is skipped.");
        }

        Path dir = Files.createTempDirectory("sg-bench");
        System.out.printf("Setting up %s and %s on %s:%s with %d users...%n", BenchDatabases.SHARD_DBS[0],
                BenchDatabases.SHARD_DBS[1], a.get("host"), a.get("port"), rows);
        long t0 = System.nanoTime();
        dbs.create(rows);
        long[] counts = dbs.counts();
        System.out.printf("  loaded in %.1fs: %d rows on s0, %d on s1; %d ids where both hashes agree are queried%n",
                (System.nanoTime() - t0) / 1e9, counts[0], counts[1], Keys.agreeing(rows).length);
        Path sgConfig = dbs.writeShardgateConfig(dir, pool);
        Path ssConfig = dbs.writeShardingSphereConfig(dir, pool);

        if (Boolean.parseBoolean(a.get("route"))) {
            System.out.printf("%n=== the router alone (no database), 1 thread ===%n");
            new Runner(new OptionsBuilder()
                    .include(RouteBenchmark.class.getName())
                    .threads(1).forks(1)
                    .warmupIterations(3).warmupTime(TimeValue.seconds(2))
                    .measurementIterations(3).measurementTime(TimeValue.seconds(2))
                    .jvmArgsAppend("-Xms1g", "-Xmx1g", "-Dsg.bench.shardgateConfig=" + sgConfig.toAbsolutePath())
                    .build()).run();
        }
        int rounds = Integer.parseInt(a.get("rounds"));
        List<Map<String, double[]>> results = new ArrayList<>();
        List<RunResult> all = new ArrayList<>();
        try {
            java.util.regex.Pattern selected = java.util.regex.Pattern.compile(include);
            for (int round = 1; round <= rounds; round++) {
                // One JMH run per client, in reverse order every other round, so that a drift in the machine's
                // load (it is shared) does not always favour the same client.
                List<String> order = new ArrayList<>(List.of(NAMES));
                if (round % 2 == 0) {
                    java.util.Collections.reverse(order);
                }
                order.removeIf(n -> !selected.matcher(n).matches());
                System.out.printf("%n=== round %d of %d: %s ===%n", round, rounds, String.join(", ", order));
                Map<String, double[]> scores = new LinkedHashMap<>();
                for (String name : order) {
                    ChainedOptionsBuilder ob = new OptionsBuilder()
                            .include(PointSelectBenchmark.class.getName() + "." + name + "$")
                            .threads(Integer.parseInt(a.get("threads")))
                            .warmupIterations(Integer.parseInt(a.get("warmups")))
                            .warmupTime(time(a.get("warmup")))
                            .measurementIterations(Integer.parseInt(a.get("iterations")))
                            .measurementTime(time(a.get("time")))
                            .forks(Integer.parseInt(a.get("forks")))
                            .shouldFailOnError(true)
                            .addProfiler(CpuProfiler.class)
                            .jvmArgsAppend("-Xms1g", "-Xmx1g",
                                    "-Dsg.bench.rows=" + rows,
                                    "-Dsg.bench.poolSize=" + pool,
                                    "-Dsg.bench.url0=" + dbs.url(BenchDatabases.SHARD_DBS[0]),
                                    "-Dsg.bench.url1=" + dbs.url(BenchDatabases.SHARD_DBS[1]),
                                    "-Dsg.bench.user=" + a.get("user"),
                                    "-Dsg.bench.password=" + a.get("password"),
                                    "-Dsg.bench.shardgateConfig=" + sgConfig.toAbsolutePath(),
                                    "-Dsg.bench.shardingSphereConfig=" + ssConfig.toAbsolutePath(),
                                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                                    // ShardingSphere sets idleTimeout on its fixed-size pools; Hikari warns about it
                                    "-Dorg.slf4j.simpleLogger.log.com.zaxxer.hikari.HikariConfig=error");
                    if (!a.get("prof").isEmpty()) {
                        String prof = a.get("prof");
                        int colon = prof.indexOf(':');
                        if (colon < 0) {
                            ob.addProfiler(prof);
                        } else {
                            ob.addProfiler(prof.substring(0, colon), prof.substring(colon + 1));
                        }
                    }
                    for (RunResult r : new Runner(ob.build()).run()) {
                        all.add(r);
                        scores.put(name, new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError(),
                                secondary(r, "client.cpu"), secondary(r, "server.cpu")});
                    }
                }
                results.add(scores);
            }
        } finally {
            if (!Boolean.parseBoolean(a.get("keep"))) {
                dbs.drop();
                System.out.println("Dropped " + String.join(", ", BenchDatabases.SHARD_DBS) + ".");
            }
        }
        if (!all.isEmpty()) {
            System.out.printf("%n=== JMH results of every round ===%n");
            ResultFormatFactory.getInstance(ResultFormatType.TEXT, System.out).writeOut(all);
        }
        summary(results, a.get("threads"));
    }

    private static void summary(List<Map<String, double[]>> results, String threads) {
        System.out.printf("%n=== summary: single-shard point selects by key, %s threads, throughput in ops/s ===%n", threads);
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-8s", "round"));
        for (String n : NAMES) {
            head.append(String.format(Locale.ROOT, "%22s", n));
        }
        head.append(String.format(Locale.ROOT, "%20s%26s", "shardgate/baseline", "shardgate/shardingSphere"));
        System.out.println(head);
        Map<String, Double> sums = new LinkedHashMap<>();
        for (int i = 0; i < results.size(); i++) {
            printRow(String.valueOf(i + 1), results.get(i));
            for (Map.Entry<String, double[]> e : results.get(i).entrySet()) {
                sums.merge(e.getKey(), e.getValue()[0], Double::sum);
            }
        }
        if (results.size() > 1) {
            Map<String, double[]> mean = new LinkedHashMap<>();
            sums.forEach((k, v) -> mean.put(k, new double[] {v / results.size(), Double.NaN, Double.NaN, Double.NaN}));
            printRow("mean", mean);
        }
        System.out.println("targets: shardgate/baseline >= 0.90, shardgate/shardingSphere >= 1.50");
        System.out.printf("%nCPU time per operation in microseconds (client = the benchmark JVM; server = the PostgreSQL backends).%n"
                + "Client and server share the machine's cores, so when it is CPU-bound the throughput ratio tends to the%n"
                + "inverse ratio of client+server CPU per operation (last column), which other load on the machine moves less.%n");
        System.out.printf(Locale.ROOT, "%-8s%s%28s%n", "round", cpuHeader(), "baseline/shardgate CPU");
        for (int i = 0; i < results.size(); i++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-8s", i + 1));
            for (String n : NAMES) {
                double[] s = results.get(i).get(n);
                row.append(s == null ? String.format(Locale.ROOT, "%30s", "-")
                        : String.format(Locale.ROOT, "%18.1f /%10.1f", s[2], s[3]));
            }
            double[] b = results.get(i).get("baseline");
            double[] g = results.get(i).get("shardgate");
            row.append(b == null || g == null ? String.format(Locale.ROOT, "%28s", "-")
                    : String.format(Locale.ROOT, "%27.2fx", (b[2] + b[3]) / (g[2] + g[3])));
            System.out.println(row);
        }
    }

    private static String cpuHeader() {
        StringBuilder h = new StringBuilder();
        for (String n : NAMES) {
            h.append(String.format(Locale.ROOT, "%30s", n + " client/server"));
        }
        return h.toString();
    }

    private static void printRow(String label, Map<String, double[]> scores) {
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-8s", label));
        for (String n : NAMES) {
            double[] s = scores.get(n);
            if (s == null) {
                row.append(String.format(Locale.ROOT, "%22s", "-"));
            } else if (Double.isNaN(s[1])) {
                row.append(String.format(Locale.ROOT, "%22.0f", s[0]));
            } else {
                row.append(String.format(Locale.ROOT, "%14.0f ± %5.0f", s[0], s[1]));
            }
        }
        row.append(String.format(Locale.ROOT, "%20s%26s", ratio(scores, "shardgate", "baseline"),
                ratio(scores, "shardgate", "shardingSphere")));
        System.out.println(row);
    }

    private static String ratio(Map<String, double[]> scores, String num, String den) {
        double[] n = scores.get(num);
        double[] d = scores.get(den);
        return n == null || d == null ? "-" : String.format(Locale.ROOT, "%.2fx", n[0] / d[0]);
    }

    private static double secondary(RunResult r, String name) {
        var res = r.getSecondaryResults().get(name);
        return res == null ? Double.NaN : res.getScore();
    }

    private static TimeValue time(String s) {
        return TimeValue.fromString(s);
    }

    private static boolean classExists(String name) {
        try {
            Class.forName(name, false, BenchMain.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
