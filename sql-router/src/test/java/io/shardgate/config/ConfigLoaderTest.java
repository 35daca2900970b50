package io.shardgate.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {
    private static final String DATABASES = """
            databases:
              s0-primary: { url: "jdbc:postgresql://127.0.0.1:5433/app", user: app, password: "${APP_PW:-app}" }
              s0-replica: { url: "jdbc:postgresql://127.0.0.1:5434/app", user: app, password: "${APP_PW:-app}" }
              s1-primary: { url: "jdbc:postgresql://127.0.0.1:5435/app", user: app, password: "${APP_PW:-app}" }
            shards:
              s0: { primary: s0-primary, replicas: [s0-replica] }
              s1: { primary: s1-primary }
            """;

    private static ShardgateConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, "test.yaml", Map.of("SECRET", "s3cret")::get);
    }

    private static List<String> problems(String yaml) {
        return assertThrows(ConfigException.class, () -> parse(yaml)).problems();
    }

    private static void assertProblem(String yaml, String expectedFragment) {
        List<String> problems = problems(yaml);
        assertTrue(problems.stream().anyMatch(p -> p.contains(expectedFragment)),
                "expected a problem containing '" + expectedFragment + "' but got " + problems);
    }

    @Test
    void everyExampleConfigurationInConfLoads() throws IOException {
        Path conf = Path.of(System.getProperty("user.dir")).getParent().resolve("conf");
        int loaded = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(conf, "*.yaml")) {
            for (Path f : files) {
                ShardgateConfig config = ConfigLoader.load(f, name -> null);
                assertFalse(config.shards().isEmpty(), f.toString());
                loaded++;
            }
        }
        assertTrue(loaded >= 2, "conf/ should hold the example configurations");
    }

    @Test
    void fullShapeFromTheIssue() {
        ShardgateConfig c = parse(DATABASES + """
                rules:
                  by-user:   { type: hash, shards: [s0, s1] }
                  by-time:   { type: range, ranges: [ { to: "2025-01-01", shard: s0 }, { from: "2025-01-01", shard: s1 } ] }
                  by-tenant: { type: directory, directory: { database: s0-primary, table: shardgate_directory }, placement: round-robin }
                tables:
                  users:     { rule: by-user, key: id }
                  orders:    { rule: by-user, key: user_id }
                  events:    { rule: by-time, key: created_at }
                  Countries: { reference: true }
                default-shard: s1
                read-write: { balancer: round-robin, max-replica-lag: 2s, read-your-writes: 500ms }
                """);
        assertEquals(Dialect.POSTGRESQL, c.dialect());
        assertEquals("app", c.database("s0-primary").password());
        assertEquals(List.of("s0-replica"), c.shard("s0").replicas());
        assertEquals("s1", c.defaultShard());
        assertEquals(Duration.ofSeconds(2), c.readWrite().maxReplicaLag());
        assertEquals(Duration.ofMillis(500), c.readWrite().readYourWrites());
        assertTrue(c.table("countries").reference(), "table names are case-insensitive");
        RuleConfig.Hash hash = (RuleConfig.Hash) c.rules().get("by-user");
        assertEquals(Long.MIN_VALUE, hash.ranges().get(0).from());
        assertEquals(0L, hash.ranges().get(1).from(), "two shards split the token space at zero");
        RuleConfig.Range range = (RuleConfig.Range) c.rules().get("by-time");
        assertEquals(RuleConfig.KeyType.DATE, range.keyType());
        assertEquals(RuleConfig.Placement.ROUND_ROBIN, ((RuleConfig.Directory) c.rules().get("by-tenant")).placement());
    }

    @Test
    void environmentVariablesAreExpanded() {
        ShardgateConfig c = parse("""
                databases:
                  a: { url: "jdbc:postgresql://127.0.0.1:5432/app", user: "${USER_NAME:-fallback}", password: "${SECRET}" }
                shards:
                  s0: { primary: a }
                """);
        assertEquals("fallback", c.database("a").user());
        assertEquals("s3cret", c.database("a").password());
    }

    @Test
    void unsetVariableWithoutDefaultNamesTheKey() {
        assertProblem("""
                databases:
                  a: { url: "jdbc:postgresql://127.0.0.1:5432/app", user: app, password: "${NOT_SET_ANYWHERE}" }
                shards:
                  s0: { primary: a }
                """, "databases.a.password: environment variable NOT_SET_ANYWHERE is not set");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        List<String> problems = problems(DATABASES + """
                rules:
                  r: { type: hash, shards: [s0, s9] }
                tables:
                  t: { rule: nope, key: id }
                  u: { rule: r }
                default-shard: s7
                read-write: { max-replica-lag: soon }
                """);
        assertTrue(problems.size() >= 5, problems.toString());
        String all = String.join("\n", problems);
        assertTrue(all.contains("rules.r.shards[1]: unknown shard 's9'"), all);
        assertTrue(all.contains("tables.t.rule: unknown rule 'nope'"), all);
        assertTrue(all.contains("tables.u.key: missing"), all);
        assertTrue(all.contains("default-shard: unknown shard 's7'"), all);
        assertTrue(all.contains("read-write.max-replica-lag: 'soon' is not a duration"), all);
    }

    @Test
    void rangeGapsAndOverlapsAreErrors() {
        assertProblem(DATABASES + """
                rules:
                  r: { type: range, ranges: [ { to: 100, shard: s0 }, { from: 200, shard: s1 } ] }
                """, "gap between 100 and 200");
        assertProblem(DATABASES + """
                rules:
                  r: { type: range, ranges: [ { to: 100, shard: s0 }, { from: 50, shard: s1 } ] }
                """, "overlaps ranges[0]");
    }

    @Test
    void hashTokenRangesMustCoverTheSpace() {
        assertProblem(DATABASES + """
                rules:
                  r: { type: hash, ranges: [ { to: 0, shard: s0 }, { from: 10, shard: s1 } ] }
                """, "leaves a gap");
        ShardgateConfig c = parse(DATABASES + """
                rules:
                  r: { type: hash, ranges: [ { to: -100, shard: s0 }, { from: -100, shard: s1 } ] }
                """);
        assertEquals(-100L, ((RuleConfig.Hash) c.rules().get("r")).ranges().get(1).from());
    }

    @Test
    void unknownDatabasesShardsKeysAndTyposAreNamed() {
        assertProblem("""
                databases:
                  a: { url: "jdbc:postgresql://127.0.0.1:5432/app", user: app }
                shards:
                  s0: { primary: b }
                """, "shards.s0.primary: unknown database 'b'");
        assertProblem(DATABASES + "tables:\n  t: { reference: true, refrence: true }\n", "tables.t.refrence: unknown key");
        assertProblem(DATABASES + "tables:\n  t: { }\n", "tables.t: say where it lives");
        assertProblem("""
                databases:
                  a: { url: "jdbc:oracle:thin:@x", user: app }
                shards:
                  s0: { primary: a }
                """, "is not a PostgreSQL or MySQL/MariaDB JDBC URL");
        assertProblem("shards: {}\n", "databases: missing");
        assertProblem("databases: [\n", "not valid YAML");
    }

    @Test
    void oneDatabaseCannotServeTwoShards() {
        assertProblem("""
                databases:
                  a: { url: "jdbc:postgresql://127.0.0.1:5432/app", user: app }
                shards:
                  s0: { primary: a }
                  s1: { primary: a }
                """, "database 'a' is already used by shards.s0.primary");
    }

    @Test
    void poolSettingsAreValidatedAndInherited() {
        ShardgateConfig c = parse(DATABASES.replace("s1-primary: { url: \"jdbc:postgresql://127.0.0.1:5435/app\", user: app, password: \"${APP_PW:-app}\" }",
                "s1-primary: { url: \"jdbc:postgresql://127.0.0.1:5435/app\", user: app, pool: { maximum-size: 3 } }")
                + "pool: { maximum-size: 20, connection-timeout: 2s }\n");
        assertEquals(20, c.database("s0-primary").pool().maximumPoolSize());
        assertEquals(3, c.database("s1-primary").pool().maximumPoolSize());
        assertEquals(Duration.ofSeconds(2), c.database("s1-primary").pool().connectionTimeout());
        assertProblem(DATABASES + "pool: { maximum-size: 0 }\n", "pool.maximum-size: '0' must be a whole number >= 1");
    }

    @Test
    void mixingSqlFamiliesIsAnError() {
        assertProblem("""
                databases:
                  a: { url: "jdbc:postgresql://127.0.0.1:5432/app", user: app }
                  b: { url: "jdbc:mysql://127.0.0.1:3306/app", user: root }
                shards:
                  s0: { primary: a }
                  s1: { primary: b }
                """, "mixes MYSQL with POSTGRESQL");
    }

    @Test
    void missingFileSaysWhatToPass() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Path.of("/nonexistent/x.yaml")));
        assertTrue(e.getMessage().contains("file not found"), e.getMessage());
    }
}
