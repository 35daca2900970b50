package io.shardgate.route;

import io.shardgate.config.ConfigLoader;
import io.shardgate.config.ShardgateConfig;
import io.shardgate.rule.DirectoryStore;
import io.shardgate.rule.RoutingException;
import io.shardgate.topology.Topology;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Routing tests as data: each file in src/test/resources/route/ holds cases of the form
 * <pre>
 * == what the case shows
 * [config: mysql]                   (optional: the MySQL topology instead of the PostgreSQL one)
 * [params: 42, 'text', null]
 * [session: transaction | read-only-transaction]
 * SQL (one or more lines)
 * --
 * the expected RoutePlan.describe() text, or "! fragment of the expected error"
 * </pre>
 * No database: the topology is in memory, every replica healthy; directory entries live in a map.
 */
class RouteCasesTest {
    static final String POSTGRES = """
            databases:
              s0-primary: { url: "jdbc:postgresql://h:5433/app", user: app }
              s0-replica: { url: "jdbc:postgresql://h:5434/app", user: app }
              s1-primary: { url: "jdbc:postgresql://h:5435/app", user: app }
              s1-replica: { url: "jdbc:postgresql://h:5436/app", user: app }
            shards:
              s0: { primary: s0-primary, replicas: [s0-replica] }
              s1: { primary: s1-primary, replicas: [s1-replica] }
            rules:
              by-user:   { type: hash, shards: [s0, s1] }
              by-time:   { type: range, ranges: [ { to: "2025-01-01", shard: s0 }, { from: "2025-01-01", shard: s1 } ] }
              by-tenant: { type: directory, directory: { database: s0-primary }, placement: first }
              by-amount: { type: range, ranges: [ { to: 100, shard: s0 }, { from: 100, shard: s1 } ] }
            tables:
              users:     { rule: by-user, key: id }
              orders:    { rule: by-user, key: user_id }
              accounts:  { rule: by-user, key: id, generated-key: id }
              audit:     { rule: by-user, key: user_id, generated-key: id }
              events:    { rule: by-time, key: created_at }
              tenants:   { rule: by-tenant, key: tenant_id }
              payments:  { rule: by-amount, key: amount }
              countries: { reference: true }
              archive:   { shard: s1 }
            default-shard: s0
            read-write: { read-your-writes: 0 }
            """;
    static final String MYSQL = """
            databases:
              m0: { url: "jdbc:mysql://h:3306/s0", user: root }
              m1: { url: "jdbc:mysql://h:3306/s1", user: root }
            shards:
              s0: { primary: m0 }
              s1: { primary: m1 }
            rules:
              by-customer: { type: hash, shards: [s0, s1] }
            tables:
              customers: { rule: by-customer, key: id }
              carts:     { rule: by-customer, key: customer_id }
            """;

    static Router router(String yaml) {
        ShardgateConfig config = ConfigLoader.parse(yaml, "test", Map.<String, String>of()::get);
        Map<String, DirectoryStore> directories = Map.of("by-tenant", new MapDirectory(Map.of("acme", "s1")));
        return new Router(config, new Topology(config), yaml.contains("by-tenant") ? directories : Map.of());
    }

    /**
     * Writing new cases: put "?" as the expectation and run with -Droute.record=true; the actual plans are written
     * into the file for review (a case never passes while its expectation is "?").
     */
    @org.junit.jupiter.api.Test
    void recordNewCases() throws IOException {
        if (!Boolean.getBoolean("route.record")) {
            return;
        }
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/route"))) {
            for (Path file : files.sorted().toList()) {
                List<String> out = new ArrayList<>();
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                List<Case> cases = parse(file);
                int caseIndex = -1;
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).startsWith("== ")) {
                        caseIndex++;
                    }
                    if (lines.get(i).equals("?") && i > 0 && lines.get(i - 1).equals("--")) {
                        Case c = cases.get(caseIndex);
                        try {
                            out.add(router(c.config.equals("mysql") ? MYSQL : POSTGRES)
                                    .route(c.sql, c.params, c.session).describe().strip());
                        } catch (RoutingException e) {
                            out.add("! " + e.getMessage());
                        }
                    } else {
                        out.add(lines.get(i));
                    }
                }
                Files.write(file, out, StandardCharsets.UTF_8);
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> routeCases() throws IOException {
        Path dir = Path.of("src/test/resources/route");
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                for (Case c : parse(file)) {
                    tests.add(DynamicTest.dynamicTest(file.getFileName() + ": " + c.name, c::run));
                }
            }
        }
        assertTrue(tests.size() > 20, "route cases missing");
        return tests.stream();
    }

    private record Case(String name, String config, List<Object> params, SessionState session, String sql,
                        String expected) {
        void run() {
            Router router = router(config.equals("mysql") ? MYSQL : POSTGRES);
            if (expected.startsWith("! ")) {
                try {
                    RoutePlan plan = router.route(sql, params, session);
                    fail("expected an error containing '" + expected.substring(2) + "' but got:\n" + plan.describe());
                } catch (RoutingException e) {
                    assertTrue(e.getMessage().contains(expected.substring(2)),
                            "error '" + e.getMessage() + "' lacks '" + expected.substring(2) + "'");
                }
                return;
            }
            RoutePlan plan;
            try {
                plan = router.route(sql, params, session);
            } catch (RoutingException e) {
                throw new AssertionError("unexpected routing error: " + e.getMessage(), e);
            }
            assertEquals(expected.strip(), plan.describe().strip(), "plan of " + sql + "\nreason: " + plan.reason());
        }
    }

    private static List<Case> parse(Path file) throws IOException {
        List<Case> cases = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            if (!line.startsWith("== ")) {
                i++;
                continue;
            }
            String name = line.substring(3).trim();
            String config = "postgres";
            List<Object> params = List.of();
            SessionState session = SessionState.AUTOCOMMIT;
            StringBuilder sql = new StringBuilder();
            StringBuilder expected = new StringBuilder();
            boolean inExpected = false;
            i++;
            for (; i < lines.size() && !lines.get(i).startsWith("== "); i++) {
                String l = lines.get(i);
                if (!inExpected && l.startsWith("config: ")) {
                    config = l.substring(8).trim();
                } else if (!inExpected && l.startsWith("params: ")) {
                    params = parseParams(l.substring(8));
                } else if (!inExpected && l.startsWith("session: ")) {
                    session = l.contains("read-only") ? SessionState.READ_ONLY_TRANSACTION
                            : SessionState.READ_WRITE_TRANSACTION;
                } else if (!inExpected && l.equals("--")) {
                    inExpected = true;
                } else if (inExpected) {
                    expected.append(l).append('\n');
                } else {
                    sql.append(sql.length() == 0 ? "" : "\n").append(l);
                }
            }
            cases.add(new Case(name, config, params, session, sql.toString().strip(), expected.toString().strip()));
        }
        return cases;
    }

    private static List<Object> parseParams(String text) {
        List<Object> out = new ArrayList<>();
        // commas inside a quoted value ('{1,2}', an array in text form) do not separate parameters
        for (String p : text.split(",\\s*(?=(?:[^']*'[^']*')*[^']*$)")) {
            String v = p.trim();
            if (v.equals("null")) {
                out.add(null);
            } else if (v.startsWith("'")) {
                out.add(v.substring(1, v.length() - 1));
            } else if (v.contains(".")) {
                out.add(new java.math.BigDecimal(v));
            } else {
                out.add(Long.parseLong(v));
            }
        }
        return out;
    }

    /** A directory kept in memory: the unit tests' stand-in for the real table, which the integration tests use. */
    static final class MapDirectory implements DirectoryStore {
        private final Map<String, String> entries = new ConcurrentHashMap<>();

        MapDirectory(Map<String, String> initial) {
            entries.putAll(initial);
        }

        @Override
        public Optional<String> lookup(String key) {
            return Optional.ofNullable(entries.get(key));
        }

        @Override
        public String placeIfAbsent(String key, String shard) {
            return entries.computeIfAbsent(key, k -> shard);
        }
    }
}
