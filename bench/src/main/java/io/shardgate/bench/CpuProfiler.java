package io.shardgate.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time per operation, for each iteration: of the benchmark JVM (the client: application threads, pools,
 * driver, JIT and GC) and of the PostgreSQL backends serving the two shard databases (read from /proc). On a machine
 * shared with other work, throughput moves with everyone's load; CPU per operation mostly does not, so it says
 * where a difference comes from. Runs inside the forked JVM; BenchMain adds it to every run.
 */
public class CpuProfiler implements InternalProfiler {
    private static final double TICK_US = 1_000_000.0 / 100; // USER_HZ, 100 on Linux
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long clientStart;

    @Override
    public String getDescription() {
        return "client JVM and PostgreSQL backend CPU time per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        clientStart = os.getProcessCpuTime();
    }

    @Override
    public List<Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                       IterationResult result) {
        long client = os.getProcessCpuTime() - clientStart;
        long server = ServerTicks.lastIterationTicks;
        long ops = Math.max(1, result.getMetadata().getAllOps());
        List<Result> out = new ArrayList<>();
        out.add(new ScalarResult("client.cpu", client / 1000.0 / ops, "us/op", AggregationPolicy.AVG));
        if (server >= 0) {
            out.add(new ScalarResult("server.cpu", server * TICK_US / ops, "us/op", AggregationPolicy.AVG));
        }
        return out;
    }

    /**
     * Reads the backends' CPU at the start and end of each iteration. A benchmark state rather than part of the
     * profiler because the profiler's afterIteration runs after the trial's teardown has closed the pools (and
     * ended their backends) on the last iteration.
     */
    @org.openjdk.jmh.annotations.State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class ServerTicks {
        static volatile long lastIterationTicks = -1;
        private List<Integer> backends = List.of();
        private long start;

        @org.openjdk.jmh.annotations.Setup(org.openjdk.jmh.annotations.Level.Iteration)
        public void start() {
            backends = backendPids();
            start = ticks(backends);
            lastIterationTicks = -1;
        }

        @org.openjdk.jmh.annotations.TearDown(org.openjdk.jmh.annotations.Level.Iteration)
        public void stop() {
            lastIterationTicks = backends.isEmpty() ? -1 : ticks(backends) - start;
        }
    }

    /** PostgreSQL backends connected to the shard databases (the pools are fixed-size, so they live all along). */
    private static List<Integer> backendPids() {
        List<Integer> pids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(
                PointSelectBenchmark.prop("url0").replaceFirst("/[^/]*$", "/postgres"),
                PointSelectBenchmark.prop("user"), PointSelectBenchmark.prop("password"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname LIKE 'sg\\_bench\\_%'")) {
            while (rs.next()) {
                pids.add(rs.getInt(1));
            }
        } catch (SQLException | IllegalStateException e) {
            return List.of();
        }
        return pids;
    }

    /** utime + stime of the processes, in clock ticks; a process that is gone counts 0. */
    private static long ticks(List<Integer> pids) {
        long sum = 0;
        for (int pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                sum += Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15: utime, stime
            } catch (IOException | RuntimeException e) {
                // not on Linux, or the backend ended
            }
        }
        return sum;
    }
}
