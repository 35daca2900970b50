package io.shardgate.bench;

import io.shardgate.analysis.SqlLexer;
import io.shardgate.config.ConfigLoader;
import io.shardgate.config.Dialect;
import io.shardgate.config.ShardgateConfig;
import io.shardgate.route.RoutePlan;
import io.shardgate.route.Router;
import io.shardgate.route.RouterFactory;
import io.shardgate.route.SessionState;
import io.shardgate.rule.ShardHash;
import io.shardgate.topology.Topology;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The router's share of one point select, with no database: lexing, the analysis cache and routing
 * ({@link Router#route}), next to the hash alone that the baseline does. Not part of the default run
 * ({@code include=} in BenchMain selects PointSelectBenchmark only); run it with bench/run.sh route=true (rounds=0 for it alone).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class RouteBenchmark {
    private Router router;
    private final SplittableRandom random = new SplittableRandom(42);

    @Setup
    public void setUp() {
        ShardgateConfig config = ConfigLoader.load(Path.of(PointSelectBenchmark.prop("shardgateConfig")));
        router = RouterFactory.create(config, new Topology(config), db -> null, false);
    }

    private long id() {
        return 1 + random.nextInt(100_000);
    }

    @Benchmark
    public long hashOnly() {
        return ShardHash.token(id());
    }

    @Benchmark
    public Object lexOnly() {
        return SqlLexer.lex(PointSelectBenchmark.SQL, Dialect.POSTGRESQL);
    }

    @Benchmark
    public RoutePlan route() {
        return router.route(PointSelectBenchmark.SQL, List.of(id()), SessionState.AUTOCOMMIT);
    }
}
