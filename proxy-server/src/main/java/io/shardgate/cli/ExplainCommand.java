package io.shardgate.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.shardgate.config.ConfigException;
import io.shardgate.config.ConfigLoader;
import io.shardgate.config.DatabaseConfig;
import io.shardgate.config.ShardgateConfig;
import io.shardgate.route.RoutePlan;
import io.shardgate.route.Router;
import io.shardgate.route.RouterFactory;
import io.shardgate.route.SessionState;
import io.shardgate.rule.RoutingException;
import io.shardgate.topology.Topology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code shardgate explain --config FILE "SQL"}: the route plan, offline, with the same code as EXPLAIN ROUTE.
 * Every replica counts as healthy and nothing is remembered of earlier writes; only a directory rule reads its
 * database, to look a key up.
 */
@Command(name = "explain", description = "Print where a statement would go (shard, role, database, sql), without running it.")
final class ExplainCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the shardgate YAML configuration")
    Path config;

    @Option(names = {"-p", "--param"}, paramLabel = "VALUE",
            description = "a parameter value for ? or $n, in order (repeat); whole numbers are passed as numbers")
    List<String> params = new ArrayList<>();

    @Option(names = "--in-transaction", description = "plan as inside a read-write transaction")
    boolean inTransaction;

    @Parameters(paramLabel = "SQL", description = "the statement")
    String sql;

    @Override
    public Integer call() {
        ShardgateConfig cfg;
        try {
            cfg = ConfigLoader.load(config);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        Map<String, HikariDataSource> pools = new LinkedHashMap<>();
        try {
            Router router = RouterFactory.create(cfg, new Topology(cfg), name -> pools.computeIfAbsent(name,
                    n -> lazyPool(cfg.database(n))), false);
            List<Object> values = new ArrayList<>();
            for (String p : params) {
                values.add(io.shardgate.proxy.values.PgValues.isLongLiteral(p) ? (Object) Long.parseLong(p) : p);
            }
            RoutePlan plan = router.route(sql, values, SessionState.of(inTransaction, false));
            print(plan, System.out);
            return 0;
        } catch (RoutingException e) {
            System.err.println("shardgate: " + e.getMessage() + " [SQLState " + e.sqlState() + "]");
            return 2;
        } finally {
            pools.values().forEach(HikariDataSource::close);
        }
    }

    static void print(RoutePlan plan, PrintStream out) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("shard", "role", "database", "sql"));
        rows.addAll(plan.explainRows());
        int[] width = new int[3];
        for (List<String> r : rows) {
            for (int i = 0; i < 3; i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            out.printf("%-" + width[0] + "s | %-" + width[1] + "s | %-" + width[2] + "s | %s%n", row.get(0), row.get(1),
                    row.get(2), row.get(3));
            if (r == 0) {
                out.println("-".repeat(width[0]) + "-+-" + "-".repeat(width[1]) + "-+-" + "-".repeat(width[2]) + "-+-"
                        + "-".repeat(3));
            }
        }
        out.println("(" + plan.statements().size() + (plan.statements().size() == 1 ? " statement)" : " statements)"));
        out.println("reason: " + plan.reason());
        if (plan.merge() != null) {
            out.println("merge: " + plan.merge().describe());
        }
        for (int i = 0; i < plan.statements().size(); i++) {
            if (!plan.statements().get(i).parameters().isEmpty()) {
                out.println("parameters of statement " + (i + 1) + ": " + plan.statements().get(i).parameters());
            }
        }
    }

    private static HikariDataSource lazyPool(DatabaseConfig db) {
        return io.shardgate.topology.JdbcPools.small(db, "shardgate-explain-" + db.name(), 1);
    }
}
