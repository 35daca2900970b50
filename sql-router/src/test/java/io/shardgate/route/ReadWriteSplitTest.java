package io.shardgate.route;

import io.shardgate.config.ConfigLoader;
import io.shardgate.config.ShardgateConfig;
import io.shardgate.topology.Topology;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Replica choice, read-your-writes across callers, and fallback to the primary; no database. */
class ReadWriteSplitTest {
    private static final String CONFIG = """
            databases:
              p0: { url: "jdbc:postgresql://h:1/app", user: app }
              r0a: { url: "jdbc:postgresql://h:2/app", user: app }
              r0b: { url: "jdbc:postgresql://h:3/app", user: app }
            shards:
              s0: { primary: p0, replicas: [r0a, r0b], weights: [3, 1] }
            tables:
              users: { reference: true }
            read-write: { balancer: %s, read-your-writes: %s, max-replica-lag: 1s }
            """;

    private static Router router(String balancer, String ryw) {
        ShardgateConfig c = ConfigLoader.parse(CONFIG.formatted(balancer, ryw), "t", Map.<String, String>of()::get);
        return new Router(c, new Topology(c), Map.of());
    }

    private static String databaseOf(Router r, String sql) {
        return r.route(sql, List.of(), SessionState.AUTOCOMMIT).first().database();
    }

    @Test
    void roundRobinAlternatesReplicas() {
        Router r = router("round-robin", "0");
        assertEquals("r0a", databaseOf(r, "SELECT * FROM users"));
        assertEquals("r0b", databaseOf(r, "SELECT * FROM users"));
        assertEquals("r0a", databaseOf(r, "SELECT * FROM users"));
    }

    @Test
    void aWriteSendsLaterReadsOfThatTableToThePrimaryForTheWindow() throws InterruptedException {
        Router r = router("round-robin", "300ms");
        RoutePlan write = r.route("INSERT INTO users (id) VALUES (1)", List.of(), SessionState.AUTOCOMMIT);
        r.recordWrites(write);
        RoutePlan read = r.route("SELECT * FROM users", List.of(), SessionState.AUTOCOMMIT);
        assertEquals("p0", read.first().database());
        assertTrue(read.reason().contains("read-your-writes"), read.reason());
        assertEquals("r0a", databaseOf(r, "SELECT * FROM other_table"), "other tables are not affected");
        Thread.sleep(350);
        assertTrue(databaseOf(r, "SELECT * FROM users").startsWith("r0"), "after the window, replicas again");
    }

    @Test
    void downOrLaggingReplicasAreSkippedAndThePrimaryIsTheLastResort() {
        Router r = router("round-robin", "0");
        r.topology().state("r0a").markDown("connection refused");
        for (int i = 0; i < 4; i++) {
            assertEquals("r0b", databaseOf(r, "SELECT * FROM users"));
        }
        r.topology().state("r0b").markUp(5_000);
        RoutePlan plan = r.route("SELECT * FROM users", List.of(), SessionState.AUTOCOMMIT);
        assertEquals("p0", plan.first().database());
        assertEquals(Role.PRIMARY, plan.first().role());
        r.topology().state("r0a").markUp(0);
        assertEquals("r0a", databaseOf(r, "SELECT * FROM users"));
    }

    @Test
    void leastConnectionsPicksTheIdlerReplica() {
        Router r = router("least-connections", "0");
        r.topology().state("r0a").acquired();
        r.topology().state("r0a").acquired();
        r.topology().state("r0b").acquired();
        assertEquals("r0b", databaseOf(r, "SELECT * FROM users"));
    }

    @Test
    void weightedFollowsTheWeights() {
        Router r = router("weighted", "0");
        int a = 0;
        for (int i = 0; i < 4000; i++) {
            if (databaseOf(r, "SELECT * FROM users").equals("r0a")) {
                a++;
            }
        }
        assertTrue(a > 2700 && a < 3300, "weights 3:1 gave " + a + " of 4000 to r0a");
    }

    @Test
    void explainRouteReturnsTheInnerPlanWithoutWriting() {
        Router r = router("round-robin", "1s");
        RoutePlan plan = r.route("EXPLAIN ROUTE INSERT INTO users (id) VALUES (1)", List.of(), SessionState.AUTOCOMMIT);
        assertEquals(io.shardgate.analysis.StatementKind.EXPLAIN_ROUTE, plan.kind());
        assertEquals(List.of("s0", "primary", "p0", "INSERT INTO users (id) VALUES (1)"), plan.explainRows().get(0));
        assertTrue(plan.writtenTables().isEmpty());
    }
}
