package io.shardgate.it.router;

import io.shardgate.it.fixture.Role;
import io.shardgate.it.fixture.TestDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cross-shard results equal the same query on an unsharded copy: the same rows are written through shardgate (onto
 * two real shards, by hash and by range rules) and directly into the reference database, then every query runs on
 * both and the answers must match row for row.
 */
class MergeEquivalenceIT {
    private static final String RULES = """
            rules:
              eq-by-user: { type: hash, shards: [s0, s1] }
              eq-by-time: { type: range, ranges: [ { to: "2025-01-01", shard: s0 }, { from: "2025-01-01", shard: s1 } ] }
            tables:
              eq_users:  { rule: eq-by-user, key: id }
              eq_orders: { rule: eq-by-user, key: user_id }
              eq_events: { rule: eq-by-time, key: created_at }
            """;
    private static final String[] DDL = {
            "CREATE TABLE eq_users (id BIGINT PRIMARY KEY, name TEXT NOT NULL, email TEXT)",
            "CREATE TABLE eq_orders (id BIGINT, user_id BIGINT, status TEXT, amount NUMERIC(12,2), PRIMARY KEY (user_id, id))",
            "CREATE TABLE eq_events (id BIGINT, created_at TIMESTAMP, kind TEXT, PRIMARY KEY (created_at, id))"};

    static TestDatabases db;
    static String url;

    @BeforeAll
    static void load() throws Exception {
        db = TestDatabases.get();
        url = "jdbc:shardgate:" + db.writePostgresConfig(RULES);
        try (Connection sg = DriverManager.getConnection(url); Connection ref = db.connectReference();
             Statement s = sg.createStatement(); Statement r = ref.createStatement()) {
            for (String t : List.of("eq_users", "eq_orders", "eq_events")) {
                s.execute("DROP TABLE IF EXISTS " + t);
                r.execute("DROP TABLE IF EXISTS " + t);
            }
            for (String ddl : DDL) {
                s.execute(ddl);
                r.execute(ddl);
            }
            Random random = new Random(42);
            String[] statuses = {"new", "paid", "shipped", "returned", "lost"};
            String[] kinds = {"login", "logout", "purchase"};
            insertBoth(sg, ref, "INSERT INTO eq_users (id, name, email) VALUES (?, ?, ?)", 300, i -> new Object[]{
                    (long) i, "user" + (i % 37), i % 11 == 0 ? null : "u" + i + "@example.com"});
            insertBoth(sg, ref, "INSERT INTO eq_orders (id, user_id, status, amount) VALUES (?, ?, ?, ?)", 1500,
                    i -> new Object[]{(long) i, (long) random.nextInt(300), statuses[random.nextInt(5)],
                            i % 13 == 0 ? null : BigDecimal.valueOf(random.nextInt(100_000), 2)});
            long start = Timestamp.valueOf("2024-09-01 00:00:00").getTime();
            insertBoth(sg, ref, "INSERT INTO eq_events (id, created_at, kind) VALUES (?, ?, ?)", 800,
                    i -> new Object[]{(long) i, new Timestamp(start + i * 6L * 3600_000L), kinds[i % 3]});
        }
        db.waitForReplicaCatchUp();
    }

    private interface Row {
        Object[] values(int i);
    }

    private static void insertBoth(Connection sg, Connection ref, String sql, int rows, Row row) throws SQLException {
        try (PreparedStatement a = sg.prepareStatement(sql); PreparedStatement b = ref.prepareStatement(sql)) {
            for (int i = 0; i < rows; i++) {
                Object[] v = row.values(i);
                for (int p = 0; p < v.length; p++) {
                    a.setObject(p + 1, v[p]);
                    b.setObject(p + 1, v[p]);
                }
                a.addBatch();
                b.addBatch();
            }
            a.executeBatch();
            b.executeBatch();
        }
    }

    @Test
    void rowsAreSplitAcrossBothShardsAndRangeRowsLandInTheirRange() throws SQLException {
        long total = 0;
        for (int shard = 0; shard < 2; shard++) {
            try (Connection c = db.connectShard(shard, Role.PRIMARY); Statement s = c.createStatement()) {
                long users = count(s, "SELECT count(*) FROM eq_users");
                assertTrue(users > 50, "shard " + shard + " holds " + users + " users");
                total += users;
                long misplaced = count(s, shard == 0 ? "SELECT count(*) FROM eq_events WHERE created_at >= '2025-01-01'"
                        : "SELECT count(*) FROM eq_events WHERE created_at < '2025-01-01'");
                assertEquals(0, misplaced, "events outside shard " + shard + "'s range");
                assertTrue(count(s, "SELECT count(*) FROM eq_events") > 0);
            }
        }
        assertEquals(300, total);
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT id, name FROM eq_users ORDER BY name, id LIMIT 20 OFFSET 7",
            "SELECT id, name, email FROM eq_users ORDER BY email DESC, id LIMIT 12",
            "SELECT name FROM eq_users ORDER BY email, id LIMIT 9",
            "SELECT * FROM eq_users ORDER BY id DESC LIMIT 4",
            "SELECT count(*) FROM eq_orders",
            "SELECT count(amount), sum(amount), min(amount), max(amount), avg(amount) FROM eq_orders",
            "SELECT status, count(*), sum(amount), min(amount), max(amount), avg(amount) FROM eq_orders GROUP BY status ORDER BY status",
            "SELECT status, count(*) AS n FROM eq_orders GROUP BY status HAVING count(*) > 290 ORDER BY n DESC, status",
            "SELECT status, avg(amount) FROM eq_orders GROUP BY status HAVING avg(amount) > 490 ORDER BY status",
            "SELECT DISTINCT status FROM eq_orders ORDER BY status",
            "SELECT user_id, count(*), sum(amount) FROM eq_orders GROUP BY user_id ORDER BY user_id LIMIT 15 OFFSET 3",
            "SELECT id, user_id, amount FROM eq_orders WHERE user_id IN (1, 2, 3, 150, 299) ORDER BY id, user_id",
            "SELECT id, amount FROM eq_orders ORDER BY amount DESC NULLS LAST, id, user_id LIMIT 10",
            "SELECT id, amount FROM eq_orders ORDER BY amount, id, user_id LIMIT 25 OFFSET 1480",
            "SELECT max(amount) FROM eq_orders WHERE status = 'paid'",
            "SELECT count(*)::int AS n, max(amount)::float8, min(amount)::int, sum(amount)::numeric FROM eq_orders",
            "SELECT status, coalesce(sum(amount), 0) AS total, coalesce(count(amount), 0)::bigint FROM eq_orders GROUP BY status ORDER BY status",
            "SELECT coalesce(sum(amount), 0), count(*)::int FROM eq_orders WHERE status = 'nobody'",
            "SELECT u.name, o.amount FROM eq_users u, eq_orders o WHERE o.user_id = u.id AND u.id = 7 ORDER BY o.id",
            "SELECT count(*) FROM eq_users u JOIN eq_orders o ON u.id = o.user_id WHERE o.amount > 100",
            "SELECT name FROM eq_users GROUP BY name ORDER BY count(*) DESC, name LIMIT 6",
            "SELECT status FROM eq_orders GROUP BY status ORDER BY max(amount), avg(amount) DESC, status",
            "SELECT id, email FROM eq_users ORDER BY id DESC NULLS FIRST LIMIT 5 OFFSET 2",
            "SELECT EXISTS (SELECT 1 FROM eq_users WHERE id = 42), NOT EXISTS (SELECT 1 FROM eq_users WHERE id = 42)",
            "SELECT (SELECT name FROM eq_users WHERE id = 17) AS name",
            "SELECT u.id, (SELECT count(*) FROM eq_orders o WHERE o.user_id = u.id) AS n FROM eq_users u ORDER BY u.id LIMIT 20",
            "SELECT count(*) FROM eq_users WHERE id IN (SELECT user_id FROM eq_orders WHERE amount > 900)",
            "SELECT status, round(avg(amount), 2), avg(amount)::numeric(12,1), round(avg(amount)) FROM eq_orders GROUP BY status ORDER BY status",
            "SELECT status, count(*) FILTER (WHERE amount > 500), max(amount) FILTER (WHERE user_id < 100) FROM eq_orders GROUP BY status ORDER BY status",
            "WITH big AS (SELECT id, user_id, amount FROM eq_orders WHERE amount > 500) SELECT id, user_id, amount FROM big ORDER BY amount DESC, id, user_id LIMIT 7 OFFSET 2",
            "WITH u AS (SELECT id, name FROM eq_users) SELECT name, count(*) FROM u GROUP BY name ORDER BY name LIMIT 5",
            "SELECT count(*), min(created_at), max(created_at) FROM eq_events WHERE created_at BETWEEN '2024-11-01' AND '2025-02-01'",
            "SELECT kind, count(*) FROM eq_events GROUP BY kind ORDER BY kind",
            "SELECT id, created_at FROM eq_events WHERE created_at >= '2025-01-10' ORDER BY created_at LIMIT 5",
            "SELECT u.name, o.amount FROM eq_users u JOIN eq_orders o ON o.user_id = u.id WHERE u.id = 42 ORDER BY o.id"
    })
    void crossShardResultEqualsTheUnshardedResult(String sql) throws SQLException {
        List<List<Object>> expected;
        List<List<Object>> actual;
        try (Connection ref = db.connectReference(); Statement s = ref.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            expected = rows(rs);
        }
        try (Connection sg = DriverManager.getConnection(url); Statement s = sg.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            actual = rows(rs);
        }
        if (!sql.contains("ORDER BY")) {
            expected.sort(Comparator.comparing(Object::toString));
            actual.sort(Comparator.comparing(Object::toString));
        }
        assertTrue(!expected.isEmpty(), "the reference query returns no rows: the case tests nothing");
        assertEquals(expected, actual, sql);
    }

    /** Each shard would answer these from its own rows alone: refused, never one row per shard or a wrong total. */
    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT (SELECT count(*) FROM eq_users) AS n",
            "SELECT EXISTS (SELECT 1 FROM eq_users WHERE name = 'user3')",
            "SELECT count(*) FROM eq_orders WHERE amount > (SELECT avg(amount) FROM eq_orders)",
            "SELECT id FROM eq_orders WHERE user_id IN (SELECT id FROM eq_users ORDER BY name LIMIT 10)",
            "SELECT count(*) FROM eq_users u JOIN eq_orders o ON o.id = u.id",
            "SELECT count(*) FROM eq_users u1 JOIN eq_users u2 ON u1.name = u2.name"
    })
    void subqueriesEachShardWouldAnswerDifferentlyAreRefused(String sql) throws SQLException {
        try (Connection sg = DriverManager.getConnection(url); Statement s = sg.createStatement()) {
            SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, () -> s.executeQuery(sql));
            assertTrue(e.getMessage().contains("each shard would join only the rows it holds")
                    || e.getMessage().contains("would be answered by each shard"), e.getMessage());
        }
    }

    @Test
    void preparedParametersForLimitAndConditionsMergeLikeLiterals() throws SQLException {
        String sql = "SELECT id, user_id FROM eq_orders WHERE amount > ? ORDER BY id DESC, user_id LIMIT ? OFFSET ?";
        List<List<Object>> expected;
        List<List<Object>> actual;
        try (Connection ref = db.connectReference(); PreparedStatement ps = ref.prepareStatement(sql)) {
            bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                expected = rows(rs);
            }
        }
        try (Connection sg = DriverManager.getConnection(url); PreparedStatement ps = sg.prepareStatement(sql)) {
            bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                actual = rows(rs);
            }
        }
        assertEquals(8, expected.size());
        assertEquals(expected, actual);
    }

    private static void bind(PreparedStatement ps) throws SQLException {
        ps.setBigDecimal(1, new BigDecimal("500.00"));
        ps.setInt(2, 8);
        ps.setInt(3, 4);
    }

    /** Rows as comparable values: numbers by value (AVG to 6 decimal places), times as text. */
    private static List<List<Object>> rows(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<List<Object>> out = new ArrayList<>();
        while (rs.next()) {
            List<Object> row = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                Object v = rs.getObject(i);
                if (v instanceof Number n) {
                    v = new BigDecimal(n.toString()).setScale(6, RoundingMode.HALF_UP);
                } else if (v != null) {
                    v = v.toString();
                }
                row.add(v);
            }
            out.add(row);
        }
        return out;
    }
}
