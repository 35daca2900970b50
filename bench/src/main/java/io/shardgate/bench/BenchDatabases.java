package io.shardgate.bench;

import io.shardgate.config.ConfigLoader;
import io.shardgate.config.RuleConfig;
import io.shardgate.config.ShardgateConfig;
import io.shardgate.rule.HashRule;
import io.shardgate.rule.ShardHash;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The two shard databases of the benchmark on one real PostgreSQL server, and the configurations of the three
 * clients over them. Rows are placed by shardgate's hash (token &lt; 0 on shard 0, else shard 1), so each row is
 * where shardgate expects it; the baseline computes the same thing itself.
 */
public final class BenchDatabases {
    public static final String[] SHARD_DBS = {"sg_bench_s0", "sg_bench_s1"};

    private final String host;
    private final int port;
    private final String user;
    private final String password;

    public BenchDatabases(String host, int port, String user, String password) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    public String url(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** The shard (0 or 1) that shardgate's hash rule with two equal token ranges gives {@code id}. */
    public static int shardOf(long id) {
        return ShardHash.token(id) < 0 ? 0 : 1;
    }

    private Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(url(database), user, password);
    }

    /** Creates both shard databases afresh and loads {@code rows} users (ids 1..rows) split by shardgate's hash. */
    public void create(int rows) throws SQLException, IOException {
        drop();
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            for (String db : SHARD_DBS) {
                st.execute("CREATE DATABASE " + db);
            }
        }
        StringBuilder[] copy = {new StringBuilder(), new StringBuilder()};
        for (long id = 1; id <= rows; id++) {
            copy[shardOf(id)].append(id).append('\t').append("user ").append(id).append('\t')
                    .append("user").append(id).append("@example.com").append('\n');
        }
        for (int s = 0; s < SHARD_DBS.length; s++) {
            try (Connection c = connect(SHARD_DBS[s])) {
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, email text NOT NULL)");
                }
                CopyManager cm = c.unwrap(PGConnection.class).getCopyAPI();
                cm.copyIn("COPY users (id, name, email) FROM STDIN", new StringReader(copy[s].toString()));
                try (Statement st = c.createStatement()) {
                    st.execute("VACUUM ANALYZE users");
                }
            }
        }
    }

    /** Row counts per shard, for the summary and as a check that the load worked. */
    public long[] counts() throws SQLException {
        long[] n = new long[SHARD_DBS.length];
        for (int s = 0; s < SHARD_DBS.length; s++) {
            try (Connection c = connect(SHARD_DBS[s]); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM users")) {
                rs.next();
                n[s] = rs.getLong(1);
            }
        }
        return n;
    }

    public void drop() throws SQLException {
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            for (String db : SHARD_DBS) {
                st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
    }

    /** shardgate's config: one primary per shard, no replicas, so all three clients hit the same databases. */
    public Path writeShardgateConfig(Path dir, int poolSize) throws IOException {
        String yaml = "# written by io.shardgate.bench.BenchDatabases\n"
                + "databases:\n"
                + "  s0-primary: { url: \"" + url(SHARD_DBS[0]) + "\", user: \"" + user + "\", password: \"" + password + "\" }\n"
                + "  s1-primary: { url: \"" + url(SHARD_DBS[1]) + "\", user: \"" + user + "\", password: \"" + password + "\" }\n"
                + "shards:\n"
                + "  s0: { primary: s0-primary }\n"
                + "  s1: { primary: s1-primary }\n"
                + "rules:\n"
                + "  by-user: { type: hash, shards: [s0, s1] }\n"
                + "tables:\n"
                + "  users: { rule: by-user, key: id }\n"
                + "default-shard: s0\n"
                + "read-write: { replica-reads: false }\n"
                + "pool: { maximum-size: " + poolSize + ", minimum-idle: " + poolSize + " }\n";
        Path file = dir.resolve("shardgate-bench.yaml");
        Files.writeString(file, yaml);
        // Fail here, not inside a forked benchmark JVM, if the config is wrong; and check that the rule it
        // declares is the routing the baseline does by hand.
        ShardgateConfig config = ConfigLoader.load(file);
        HashRule rule = new HashRule((RuleConfig.Hash) config.rules().get("by-user"));
        for (long id = 1; id <= 10_000; id++) {
            if (!rule.shardFor(id).equals("s" + shardOf(id))) {
                throw new IllegalStateException("baseline routing disagrees with shardgate's rule for id " + id);
            }
        }
        return file;
    }

    /**
     * ShardingSphere-JDBC's config: the same two databases as ds_0 and ds_1, HikariCP pools of the same size, a
     * standard sharding strategy on users.id with the built-in INLINE algorithm {@code ds_${id % 2}} (MOD
     * is an auto-table algorithm, which would need per-shard table names). Its hash is not shardgate's;
     * the benchmark therefore only asks for ids on which both agree (see {@link Keys}), so every query of every
     * client reads one existing row from the same shard.
     */
    public Path writeShardingSphereConfig(Path dir, int poolSize) throws IOException {
        StringBuilder yaml = new StringBuilder("# written by io.shardgate.bench.BenchDatabases\n"
                + "databaseName: sg_bench\n"
                + "mode:\n  type: Standalone\n  repository:\n    type: JDBC\n"
                + "dataSources:\n");
        for (int s = 0; s < SHARD_DBS.length; s++) {
            yaml.append("  ds_").append(s).append(":\n")
                    .append("    dataSourceClassName: com.zaxxer.hikari.HikariDataSource\n")
                    .append("    driverClassName: org.postgresql.Driver\n")
                    .append("    jdbcUrl: ").append(url(SHARD_DBS[s])).append('\n')
                    .append("    username: ").append(user).append('\n')
                    .append("    password: '").append(password).append("'\n")
                    .append("    maximumPoolSize: ").append(poolSize).append('\n')
                    .append("    minimumIdle: ").append(poolSize).append('\n');
        }
        yaml.append("rules:\n"
                + "- !SHARDING\n"
                + "  tables:\n"
                + "    users:\n"
                + "      actualDataNodes: ds_${0..1}.users\n"
                + "      databaseStrategy:\n"
                + "        standard:\n"
                + "          shardingColumn: id\n"
                + "          shardingAlgorithmName: users_by_id\n"
                + "  shardingAlgorithms:\n"
                + "    users_by_id:\n"
                + "      type: INLINE\n"
                + "      props:\n"
                + "        algorithm-expression: ds_${id % 2}\n"
                + "props:\n"
                + "  sql-show: false\n");
        Path file = dir.resolve("shardingsphere-bench.yaml");
        Files.writeString(file, yaml.toString());
        return file;
    }
}
