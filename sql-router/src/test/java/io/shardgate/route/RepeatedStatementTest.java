package io.shardgate.route;

import io.shardgate.analysis.StatementKind;
import io.shardgate.config.ConfigLoader;
import io.shardgate.config.RuleConfig;
import io.shardgate.config.ShardgateConfig;
import io.shardgate.rule.HashRule;
import io.shardgate.topology.Topology;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The same text routed again and again (a prepared statement executed many times) reuses its lexing but is planned
 * with each call's own parameters; texts that differ only in literals are routed by their own values.
 */
class RepeatedStatementTest {
    private static final String CONFIG = """
            databases:
              p0: { url: "jdbc:postgresql://h:1/a", user: app }
              p1: { url: "jdbc:postgresql://h:2/a", user: app }
            shards:
              s0: { primary: p0 }
              s1: { primary: p1 }
            rules:
              by-user: { type: hash, shards: [s0, s1] }
            tables:
              users: { rule: by-user, key: id }
            default-shard: s0
            """;

    private final ShardgateConfig config = ConfigLoader.parse(CONFIG, "t", Map.<String, String>of()::get);
    private final Router router = new Router(config, new Topology(config), Map.of());
    private final HashRule rule = new HashRule((RuleConfig.Hash) config.rules().get("by-user"));

    @Test
    void aRepeatedTextIsRoutedByEachCallsParameters() {
        String sql = "SELECT id, name, email FROM users WHERE id = ?";
        Set<String> seen = new HashSet<>();
        for (long id = 1; id <= 200; id++) {
            RoutePlan plan = router.route(sql, List.of(id), SessionState.AUTOCOMMIT);
            assertEquals(rule.shardFor(id), plan.first().shard(), "id " + id);
            assertEquals(List.of(id), plan.first().parameters());
            assertEquals(sql, plan.first().sql());
            seen.add(plan.first().shard());
        }
        assertEquals(Set.of("s0", "s1"), seen, "both shards were hit, so a cached plan would have shown");
    }

    @Test
    void textsDifferingOnlyInLiteralsAreRoutedByTheirOwnValues() {
        for (long id = 1; id <= 50; id++) {
            for (int repeat = 0; repeat < 2; repeat++) {
                RoutePlan plan = router.route("SELECT * FROM users WHERE id = " + id, List.of(), SessionState.AUTOCOMMIT);
                assertEquals(rule.shardFor(id), plan.first().shard(), "id " + id);
            }
        }
    }

    @Test
    void aRepeatedTextKeepsItsKindAndHintsEachTime() {
        String sql = "/* shardgate:primary */ SELECT * FROM users WHERE id = ?";
        for (int i = 0; i < 3; i++) {
            RoutePlan plan = router.route(sql, List.of(7L), SessionState.AUTOCOMMIT);
            assertEquals(rule.shardFor(7L), plan.first().shard());
            assertEquals(Role.PRIMARY, plan.first().role());
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(List.of(), router.route("BEGIN", List.of(), SessionState.AUTOCOMMIT).statements());
        }
    }

    @Test
    void aStatementLookedUpOnceRoutesLikeItsText() {
        String prepared = "SELECT id, name FROM users WHERE id = ?";
        RoutableStatement st = router.statement(prepared);
        assertSame(st, router.statement(prepared), "a text without literals is kept by exact text");
        assertEquals(StatementKind.SELECT, st.kind());
        for (long id = 1; id <= 20; id++) {
            assertEquals(router.route(prepared, List.of(id), SessionState.AUTOCOMMIT).first().shard(),
                    router.route(st, List.of(id), SessionState.AUTOCOMMIT).first().shard());
        }
        for (long id = 1; id <= 20; id++) {
            String sql = "SELECT * FROM users WHERE id = " + id;
            RoutableStatement literal = router.statement(sql);
            RoutePlan plan = router.route(literal, List.of(), SessionState.AUTOCOMMIT);
            assertEquals(rule.shardFor(id), plan.first().shard(), "id " + id);
            assertEquals(sql, plan.first().sql());
        }
        assertEquals(StatementKind.BEGIN, router.statement("BEGIN").kind());
        assertEquals(List.of(), router.route(router.statement("BEGIN"), List.of(), SessionState.AUTOCOMMIT)
                .statements());
    }

    @Test
    void aStatementKeptAcrossAReloadIsPlacedByTheNewConfiguration() {
        String sql = "SELECT * FROM orders WHERE id = ?";
        RoutableStatement st = router.statement(sql);
        RoutePlan before = router.route(st, List.of(1L), SessionState.AUTOCOMMIT);
        assertEquals("s0", before.first().shard());
        assertEquals("unsharded table orders: shard s0", before.reason());

        ShardgateConfig reloaded = ConfigLoader.parse(CONFIG.replace("users: { rule: by-user, key: id }",
                "users: { rule: by-user, key: id }\n  orders: { shard: s1 }"), "t", Map.<String, String>of()::get);
        Router after = new Router(reloaded, new Topology(reloaded), Map.of());
        for (int i = 0; i < 2; i++) {
            RoutePlan plan = after.route(st, List.of(1L), SessionState.AUTOCOMMIT);
            assertEquals("s1", plan.first().shard(), "the placement remembered for the old configuration is not used");
            assertEquals("unsharded table orders: shard s1", plan.reason());
        }
        assertEquals("s0", router.route(st, List.of(1L), SessionState.AUTOCOMMIT).first().shard());
    }
}
