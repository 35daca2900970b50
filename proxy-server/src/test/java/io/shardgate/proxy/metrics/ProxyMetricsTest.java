package io.shardgate.proxy.metrics;

import io.shardgate.analysis.StatementKind;
import io.shardgate.route.Role;
import io.shardgate.route.RoutePlan;
import io.shardgate.route.ShardStatement;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProxyMetricsTest {
    private static RoutePlan plan(StatementKind kind, Role... roles) {
        List<ShardStatement> stmts = new java.util.ArrayList<>();
        for (int i = 0; i < roles.length; i++) {
            stmts.add(new ShardStatement("s" + i, roles[i], "s" + i + "-" + roles[i].label(), "SELECT 1", List.of()));
        }
        return new RoutePlan("SELECT 1", kind, stmts, null, "test", List.of(), java.util.Set.of(), false);
    }

    @Test
    void statementsAreCountedByKindRouteAndRole() {
        ProxyMetrics m = new ProxyMetrics();
        m.statement(plan(StatementKind.SELECT, Role.REPLICA), 1_000_000, false);
        m.statement(plan(StatementKind.SELECT, Role.REPLICA), 3_000_000, false);
        m.statement(plan(StatementKind.SELECT, Role.PRIMARY, Role.PRIMARY), 5_000_000, true);
        m.statement(plan(StatementKind.INSERT, Role.PRIMARY), 2_000_000, false);
        m.error(ProxyMetrics.ErrorSource.PROXY);
        assertEquals(List.of(new ProxyMetrics.StatementStats("select", "single-shard", "replica", 2),
                new ProxyMetrics.StatementStats("select", "multi-shard", "primary", 1),
                new ProxyMetrics.StatementStats("insert", "single-shard", "primary", 1)), m.statementStats());
        assertEquals(1, m.errors(ProxyMetrics.ErrorSource.BACKEND));
        assertEquals(1, m.errors(ProxyMetrics.ErrorSource.PROXY));
        ProxyMetrics.LatencyStats replica = m.latencyStats().stream()
                .filter(l -> l.route().equals("single-shard") && l.role().equals("replica")).findFirst().orElseThrow();
        assertEquals(2, replica.count());
        assertEquals(2.0, replica.meanMs(), 0.001);
        String text = m.scrape();
        assertTrue(text.contains("shardgate_statements_total{kind=\"select\",role=\"replica\",route=\"single-shard\"} 2"),
                text);
        assertTrue(text.contains("shardgate_statement_duration_seconds{role=\"replica\",route=\"single-shard\","
                + "quantile=\"0.99\"}"), text);
        assertTrue(text.contains("shardgate_errors_total{source=\"backend\"} 1"), text);
    }

    @Test
    void databaseGaugesReadTheProbeAtScrapeTime() throws Exception {
        ProxyMetrics m = new ProxyMetrics();
        int[] idle = {3};
        m.database("s0-replica", "s0", "replica", new ProxyMetrics.DatabaseProbe() {
            public int active() { return 1; }
            public int idle() { return idle[0]; }
            public int waiting() { return 0; }
            public int max() { return 10; }
            public long waits() { return 7; }
            public long timeouts() { return 0; }
            public boolean up() { return false; }
            public long lagMillis() { return 1500; }
        });
        idle[0] = 4;
        try (MetricsHttpServer http = MetricsHttpServer.start("127.0.0.1", 0, m)) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + http.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            String text = r.body();
            assertTrue(text.contains("shardgate_pool_connections{database=\"s0-replica\",state=\"idle\"} 4"), text);
            assertTrue(text.contains("shardgate_pool_waits_total{database=\"s0-replica\"} 7"), text);
            assertTrue(text.contains("shardgate_database_up{database=\"s0-replica\",role=\"replica\",shard=\"s0\"} 0"),
                    text);
            assertTrue(text.contains("shardgate_replica_lag_seconds{database=\"s0-replica\",role=\"replica\","
                    + "shard=\"s0\"} 1.5"), text);
        }
    }
}
