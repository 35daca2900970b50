package io.shardgate.demo;

import io.shardgate.config.DatabaseConfig;
import io.shardgate.config.RuleConfig;
import io.shardgate.config.ShardgateConfig;
import io.shardgate.route.RoutePlan;
import io.shardgate.route.Router;
import io.shardgate.route.RouterFactory;
import io.shardgate.route.SessionState;
import io.shardgate.route.ShardStatement;
import io.shardgate.rule.HashRule;
import io.shardgate.topology.Topology;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Creates the demo tables and loads their rows <em>through shardgate's router</em>: every statement (the CREATE
 * TABLEs and multi-row INSERTs) is planned by {@link Router} from the demo configuration, and each per-shard
 * statement of the plan runs on the database the plan names. So every row is exactly where the proxy and the driver
 * will look for it, by construction; {@link #shardOfUser} is the independent check (the hash rule alone).
 *
 * <p>Rows are generated from a fixed seed: the same demo every time.
 */
public final class DemoData {
    public static final int USERS = 2000;
    private static final int BATCH = 200;

    public static final String[] DDL = {
            "CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, email text NOT NULL)",
            "CREATE TABLE orders (id bigint NOT NULL, user_id bigint NOT NULL, amount numeric(12,2) NOT NULL, "
                    + "created_at timestamptz NOT NULL, PRIMARY KEY (user_id, id))",
            "CREATE TABLE countries (code text PRIMARY KEY, name text NOT NULL)",
    };

    private static final String[][] COUNTRIES = {
            {"AR", "Argentina"}, {"AU", "Australia"}, {"BR", "Brazil"}, {"CA", "Canada"}, {"CN", "China"},
            {"DE", "Germany"}, {"ES", "Spain"}, {"FR", "France"}, {"GB", "United Kingdom"}, {"IN", "India"},
            {"IT", "Italy"}, {"JP", "Japan"}, {"KE", "Kenya"}, {"MX", "Mexico"}, {"NG", "Nigeria"},
            {"NL", "Netherlands"}, {"PL", "Poland"}, {"SE", "Sweden"}, {"US", "United States"}, {"ZA", "South Africa"},
    };
    private static final String[] FIRST = {"Ada", "Alan", "Barbara", "Edsger", "Grace", "Donald", "Frances", "John",
            "Margaret", "Ken", "Leslie", "Radia", "Dennis", "Shafi", "Tim", "Sophie", "Niklaus", "Hedy", "Linus", "Guido"};
    private static final String[] LAST = {"Lovelace", "Turing", "Liskov", "Dijkstra", "Hopper", "Knuth", "Allen",
            "Backus", "Hamilton", "Thompson", "Lamport", "Perlman", "Ritchie", "Goldwasser", "Berners-Lee", "Wilson",
            "Wirth", "Lamarr", "Torvalds", "van Rossum"};

    /** How many rows went where. */
    public record Summary(int users, int orders, int countries, Map<String, Integer> usersByShard,
                          Map<String, Integer> ordersByShard, long millis) {
        @Override
        public String toString() {
            return users + " users " + usersByShard + ", " + orders + " orders " + ordersByShard + ", " + countries
                    + " countries on every shard (" + millis + " ms)";
        }
    }

    private DemoData() {
    }

    /** The shard the demo's hash rule puts a user (and that user's orders) on. */
    public static String shardOfUser(ShardgateConfig config, long userId) {
        return new HashRule((RuleConfig.Hash) config.rules().get(DemoConfig.RULE)).shardFor(userId);
    }

    /** Creates the tables and loads the rows on the databases of {@code config} (the demo configuration). */
    public static Summary load(ShardgateConfig config) {
        long t0 = System.nanoTime();
        Router router = RouterFactory.create(config, new Topology(config), name -> {
            throw new IllegalStateException("the demo configuration has no directory rule");
        }, false);
        Map<String, Connection> connections = new LinkedHashMap<>();
        try {
            Loader loader = new Loader(router, config, connections);
            for (String ddl : DDL) {
                loader.run(ddl, List.of(), null);
            }
            List<List<Object>> countries = new ArrayList<>();
            for (String[] c : COUNTRIES) {
                countries.add(List.of(c[0], c[1]));
            }
            loader.insert("INSERT INTO countries (code, name) VALUES ", 2, countries, null);

            Random random = new Random(20261123L);
            List<List<Object>> users = new ArrayList<>();
            List<List<Object>> orders = new ArrayList<>();
            OffsetDateTime now = OffsetDateTime.of(2026, 11, 1, 12, 0, 0, 0, ZoneOffset.UTC);
            long orderId = 0;
            for (long id = 1; id <= USERS; id++) {
                String first = FIRST[random.nextInt(FIRST.length)];
                String last = LAST[random.nextInt(LAST.length)];
                users.add(List.of(id, first + " " + last,
                        (first + "." + last).toLowerCase(Locale.ROOT).replace(' ', '-') + id + "@example.com"));
                int n = random.nextInt(6); // 0..5, 2.5 on average
                for (int k = 0; k < n; k++) {
                    BigDecimal amount = BigDecimal.valueOf(500 + random.nextInt(49_500), 2)
                            .setScale(2, RoundingMode.UNNECESSARY);
                    orders.add(List.of(++orderId, id, amount, now.minusMinutes(random.nextInt(60 * 24 * 365))));
                }
            }
            Map<String, Integer> usersByShard = new LinkedHashMap<>();
            Map<String, Integer> ordersByShard = new LinkedHashMap<>();
            loader.insert("INSERT INTO users (id, name, email) VALUES ", 3, users, usersByShard);
            loader.insert("INSERT INTO orders (id, user_id, amount, created_at) VALUES ", 4, orders, ordersByShard);
            for (Connection c : connections.values()) {
                try (var st = c.createStatement()) {
                    st.execute("ANALYZE");
                }
            }
            return new Summary(users.size(), orders.size(), countries.size(), usersByShard, ordersByShard,
                    (System.nanoTime() - t0) / 1_000_000);
        } catch (SQLException e) {
            throw new IllegalStateException("loading the demo data: " + e.getMessage(), e);
        } finally {
            for (Connection c : connections.values()) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
            }
        }
    }

    /** Runs router-planned statements, one JDBC connection per physical database. */
    private record Loader(Router router, ShardgateConfig config, Map<String, Connection> connections) {
        void insert(String head, int columns, List<List<Object>> rows, Map<String, Integer> rowsByShard)
                throws SQLException {
            String tuple = "(" + "?, ".repeat(columns - 1) + "?)";
            for (int from = 0; from < rows.size(); from += BATCH) {
                List<List<Object>> batch = rows.subList(from, Math.min(rows.size(), from + BATCH));
                StringBuilder sql = new StringBuilder(head);
                List<Object> params = new ArrayList<>();
                for (int i = 0; i < batch.size(); i++) {
                    sql.append(i == 0 ? "" : ", ").append(tuple);
                    params.addAll(batch.get(i));
                }
                run(sql.toString(), params, rowsByShard);
            }
        }

        void run(String sql, List<Object> params, Map<String, Integer> rowsByShard) throws SQLException {
            RoutePlan plan = router.route(sql, params, SessionState.AUTOCOMMIT);
            for (ShardStatement s : plan.statements()) {
                Connection c = connection(s.database());
                try (PreparedStatement ps = c.prepareStatement(s.sql())) {
                    for (int i = 0; i < s.parameters().size(); i++) {
                        ps.setObject(i + 1, s.parameters().get(i));
                    }
                    int n = ps.executeUpdate();
                    if (rowsByShard != null) {
                        rowsByShard.merge(s.shard(), n, Integer::sum);
                    }
                } catch (SQLException e) {
                    throw new SQLException(e.getMessage() + " [on " + s.database() + ": "
                            + (s.sql().length() > 120 ? s.sql().substring(0, 120) + "..." : s.sql()) + "]",
                            e.getSQLState(), e);
                }
            }
        }

        Connection connection(String database) throws SQLException {
            Connection c = connections.get(database);
            if (c == null) {
                DatabaseConfig db = config.database(database);
                c = DriverManager.getConnection(db.url(), db.user(), db.password());
                connections.put(database, c);
            }
            return c;
        }
    }
}
