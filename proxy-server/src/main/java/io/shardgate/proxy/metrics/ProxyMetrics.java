package io.shardgate.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shardgate.analysis.StatementKind;
import io.shardgate.route.Role;
import io.shardgate.route.RoutePlan;
import io.shardgate.route.ShardStatement;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.ToDoubleFunction;

/**
 * The proxy's counters, timers and gauges in one Micrometer {@link PrometheusMeterRegistry}, read by the
 * {@code /metrics} endpoint and by {@code SHOW STATS}. Every meter of the statement path is resolved up front
 * (one counter per kind, route and role, one timer per route and role), so recording a statement is two array
 * lookups, an atomic add and a timer record, with no tag or string built per call. Latency is a Prometheus summary
 * with client-side p50/p95/p99 (Micrometer's Prometheus registry drops client-side percentiles when a bucket
 * histogram is also published, so there are no buckets). The percentiles cover the statements of the current
 * {@link #PERCENTILE_WINDOW}, in one histogram: Micrometer records every value into each histogram of its ring
 * (three by default, for a sliding window), and that recording was the most expensive step of a statement's
 * bookkeeping on the event loop.
 */
public final class ProxyMetrics {
    /** Latency percentiles are over the statements of this window; it starts afresh when it has passed. */
    static final java.time.Duration PERCENTILE_WINDOW = java.time.Duration.ofMinutes(1);

    /** How many shards a statement reached. */
    public enum Route {
        SINGLE("single-shard"), MULTI("multi-shard");

        final String label;

        Route(String label) {
            this.label = label;
        }
    }

    /** Where an error came from: found by the proxy itself (routing, pool, protocol) or answered by a backend. */
    public enum ErrorSource {
        PROXY, BACKEND;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final StatementKind[] KINDS = StatementKind.values();
    private static final Route[] ROUTES = Route.values();
    private static final Role[] ROLES = Role.values();

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter[] statements = new Counter[KINDS.length * ROUTES.length * ROLES.length];
    private final Timer[] latency = new Timer[ROUTES.length * ROLES.length];
    private final Counter[] errors = new Counter[ErrorSource.values().length];
    private final Counter clientLogins;
    private final Set<String> databases = ConcurrentHashMap.newKeySet();

    public ProxyMetrics() {
        for (StatementKind k : KINDS) {
            for (Route r : ROUTES) {
                for (Role role : ROLES) {
                    statements[index(k, r, role)] = Counter.builder("shardgate.statements")
                            .description("statements routed, by kind, route and role")
                            .tag("kind", k.name().toLowerCase(Locale.ROOT)).tag("route", r.label)
                            .tag("role", role.label()).register(registry);
                }
            }
        }
        for (Route r : ROUTES) {
            for (Role role : ROLES) {
                latency[r.ordinal() * ROLES.length + role.ordinal()] = Timer.builder("shardgate.statement.duration")
                        .description("time from routing a statement to its last reply")
                        .tag("route", r.label).tag("role", role.label())
                        .publishPercentiles(0.5, 0.95, 0.99)
                        .distributionStatisticExpiry(PERCENTILE_WINDOW)
                        .distributionStatisticBufferLength(1)
                        .register(registry);
            }
        }
        for (ErrorSource s : ErrorSource.values()) {
            errors[s.ordinal()] = Counter.builder("shardgate.errors").description("errors sent to clients")
                    .tag("source", s.label()).register(registry);
        }
        clientLogins = Counter.builder("shardgate.client.logins").description("client logins accepted")
                .register(registry);
    }

    private static int index(StatementKind k, Route r, Role role) {
        return (k.ordinal() * ROUTES.length + r.ordinal()) * ROLES.length + role.ordinal();
    }

    /** Records one routed statement that took {@code nanos} from routing to its last reply. */
    public void statement(RoutePlan plan, long nanos, boolean failed) {
        List<ShardStatement> stmts = plan.statements();
        Route route = stmts.size() > 1 ? Route.MULTI : Route.SINGLE;
        Role role = Role.PRIMARY;
        for (int i = 0; i < stmts.size(); i++) {
            if (stmts.get(i).role() == Role.REPLICA) {
                role = Role.REPLICA;
                break;
            }
        }
        statements[index(plan.kind(), route, role)].increment();
        latency[route.ordinal() * ROLES.length + role.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
        if (failed) {
            errors[ErrorSource.BACKEND.ordinal()].increment();
        }
    }

    public void error(ErrorSource source) {
        errors[source.ordinal()].increment();
    }

    public void clientLogin() {
        clientLogins.increment();
    }

    /** Gauges over the whole proxy (client connections, paused databases). */
    public void proxyGauges(IntSupplier clients, IntSupplier paused) {
        Gauge.builder("shardgate.client.connections", clients, IntSupplier::getAsInt)
                .description("client connections open").strongReference(true).register(registry);
        Gauge.builder("shardgate.paused.databases", paused, IntSupplier::getAsInt)
                .description("databases paused by the admin console").strongReference(true).register(registry);
    }

    /** What the gauges of one database read; called at scrape time, so it must be cheap and thread-safe. */
    public interface DatabaseProbe {
        int active();

        int idle();

        int waiting();

        int max();

        long waits();

        long timeouts();

        boolean up();

        long lagMillis();
    }

    /** Registers the pool and health gauges of one database (once; a RELOAD calls this again for new ones). */
    public void database(String name, String shard, String role, DatabaseProbe probe) {
        if (!databases.add(name)) {
            return;
        }
        gauge("shardgate.pool.connections", "backend connections", name, probe, p -> p.active(), "state", "active");
        gauge("shardgate.pool.connections", "backend connections", name, probe, p -> p.idle(), "state", "idle");
        gauge("shardgate.pool.waiting.clients", "clients waiting for a backend connection", name, probe,
                p -> p.waiting());
        gauge("shardgate.pool.max.connections", "pool maximum-size", name, probe, p -> p.max());
        counter("shardgate.pool.waits", "borrows that had to wait", name, probe, DatabaseProbe::waits);
        counter("shardgate.pool.timeouts", "borrows that gave up (53300)", name, probe, DatabaseProbe::timeouts);
        Gauge.builder("shardgate.database.up", probe, p -> p.up() ? 1 : 0).description("1 when the health probe "
                + "reaches the database").tags("database", name, "shard", shard, "role", role).strongReference(true)
                .register(registry);
        Gauge.builder("shardgate.replica.lag", probe, p -> p.lagMillis() / 1000.0).baseUnit("seconds")
                .description("replication lag measured by the health probe")
                .tags("database", name, "shard", shard, "role", role).strongReference(true).register(registry);
    }

    private void gauge(String meter, String description, String db, DatabaseProbe probe,
                       ToDoubleFunction<DatabaseProbe> f, String... tags) {
        Gauge.builder(meter, probe, f).description(description).tag("database", db).tags(tags)
                .strongReference(true).register(registry);
    }

    private void counter(String meter, String description, String db, DatabaseProbe probe,
                         java.util.function.Function<DatabaseProbe, Long> f) {
        FunctionCounter.builder(meter, probe, p -> f.apply(p)).description(description).tag("database", db)
                .register(registry); // held weakly: the probe is kept alive by its gauges (strong references)
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** One row of SHOW STATS. */
    public record StatementStats(String kind, String route, String role, long count) {
    }

    /** One latency row of SHOW STATS (milliseconds). */
    public record LatencyStats(String route, String role, long count, double meanMs, double maxMs, double p50Ms,
                               double p95Ms, double p99Ms) {
    }

    /** Counts of statements by kind, route and role, leaving out the combinations never seen. */
    public List<StatementStats> statementStats() {
        List<StatementStats> out = new ArrayList<>();
        for (StatementKind k : KINDS) {
            for (Route r : ROUTES) {
                for (Role role : ROLES) {
                    long n = (long) statements[index(k, r, role)].count();
                    if (n > 0) {
                        out.add(new StatementStats(k.name().toLowerCase(Locale.ROOT), r.label, role.label(), n));
                    }
                }
            }
        }
        return out;
    }

    public List<LatencyStats> latencyStats() {
        List<LatencyStats> out = new ArrayList<>();
        for (Route r : ROUTES) {
            for (Role role : ROLES) {
                Timer t = latency[r.ordinal() * ROLES.length + role.ordinal()];
                if (t.count() == 0) {
                    continue;
                }
                double[] p = new double[3];
                for (ValueAtPercentile v : t.takeSnapshot().percentileValues()) {
                    int i = v.percentile() == 0.5 ? 0 : v.percentile() == 0.95 ? 1 : v.percentile() == 0.99 ? 2 : -1;
                    if (i >= 0) {
                        p[i] = v.value(TimeUnit.MILLISECONDS);
                    }
                }
                out.add(new LatencyStats(r.label, role.label(), t.count(), t.mean(TimeUnit.MILLISECONDS),
                        t.max(TimeUnit.MILLISECONDS), p[0], p[1], p[2]));
            }
        }
        return out;
    }

    public long errors(ErrorSource source) {
        return (long) errors[source.ordinal()].count();
    }

    public long clientLogins() {
        return (long) clientLogins.count();
    }
}
