package io.shardgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardgate.it.fixture.MariaDbReplicaPair;
import io.shardgate.it.fixture.MariaDbShards;
import io.shardgate.it.fixture.PostgresCluster;
import io.shardgate.it.fixture.Role;
import io.shardgate.it.fixture.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Proves the shared fixture itself: real clusters, real streaming replicas, real MariaDB replication. */
class FixtureIT {
    static TestDatabases db;

    @BeforeAll
    static void start() {
        db = TestDatabases.get();
    }

    private static Object one(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), "no row for " + sql);
            return rs.getObject(1);
        }
    }

    @Test
    void singletonIsShared() {
        assertSame(db, TestDatabases.get());
        assertEquals(2, db.shards().size());
        Set<Integer> ports = new HashSet<>();
        for (PostgresCluster c : db.shards()) {
            ports.add(c.primaryPort());
            ports.addAll(c.replicaPorts());
        }
        assertEquals(4, ports.size(), "every server on its own port: " + ports);
    }

    @Test
    void rowWrittenOnPrimaryIsVisibleOnReplicaAfterCatchUp() throws SQLException {
        for (int s = 0; s < db.shards().size(); s++) {
            try (Connection p = db.connectShard(s, Role.PRIMARY); Statement st = p.createStatement()) {
                st.execute("create table fixture_smoke_" + s + " (id int primary key, shard text)");
                st.execute("insert into fixture_smoke_" + s + " values (42, 's" + s + "')");
            }
            db.shard(s).waitForReplicaCatchUp();
            try (Connection r = db.connectShard(s, Role.REPLICA)) {
                assertEquals("s" + s, one(r, "select shard from fixture_smoke_" + s + " where id = 42"));
            }
        }
    }

    @Test
    void recoveryFlags() throws SQLException {
        for (int s = 0; s < db.shards().size(); s++) {
            try (Connection p = db.connectShard(s, Role.PRIMARY); Connection r = db.connectShard(s, Role.REPLICA)) {
                assertEquals(Boolean.FALSE, one(p, "select pg_is_in_recovery()"));
                assertEquals(Boolean.TRUE, one(r, "select pg_is_in_recovery()"));
                assertEquals("logical", one(p, "show wal_level"));
                // a replica refuses writes
                SQLException e = assertThrows(SQLException.class,
                        () -> r.createStatement().execute("create table must_fail (i int)"));
                assertEquals("25006", e.getSQLState(), e.getMessage());
            }
        }
    }

    @Test
    void stoppedReplicaRefusesConnectionsAndComesBack() throws SQLException {
        PostgresCluster c = db.shard(1);
        List<Integer> portsBefore = c.replicaPorts();
        try (Connection p = c.connectPrimary(TestDatabases.SHARD_DB); Statement st = p.createStatement()) {
            st.execute("create table fixture_failover (id int primary key)");
        }
        c.stopReplica(0);
        try {
            assertFalse(c.isReplicaRunning(0));
            assertThrows(SQLException.class, () -> c.connect(TestDatabases.SHARD_DB, Role.REPLICA).close());
            // writes made while the replica is down reach it after the restart (replication slot keeps the WAL)
            try (Connection p = c.connectPrimary(TestDatabases.SHARD_DB); Statement st = p.createStatement()) {
                st.execute("insert into fixture_failover select generate_series(1, 1000)");
            }
        } finally {
            c.startReplica(0);
        }
        assertTrue(c.isReplicaRunning(0));
        assertEquals(portsBefore, c.replicaPorts(), "restarted replica keeps its port");
        c.waitForReplicaCatchUp();
        try (Connection r = c.connect(TestDatabases.SHARD_DB, Role.REPLICA)) {
            assertEquals(1000L, one(r, "select count(*) from fixture_failover"));
            assertEquals(Boolean.TRUE, one(r, "select pg_is_in_recovery()"));
        }
    }

    @Test
    void pausedReplayMakesReplicaLag() throws SQLException {
        PostgresCluster c = db.shard(0);
        try (Connection p = c.connectPrimary(TestDatabases.SHARD_DB); Statement st = p.createStatement()) {
            st.execute("create table fixture_lag (id int)");
        }
        c.waitForReplicaCatchUp();
        c.pauseReplay(0);
        try {
            try (Connection p = c.connectPrimary(TestDatabases.SHARD_DB); Statement st = p.createStatement()) {
                st.execute("insert into fixture_lag values (1)");
            }
            assertThrows(IllegalStateException.class, () -> c.waitForReplicaCatchUp(java.time.Duration.ofMillis(500)));
            try (Connection r = c.connect(TestDatabases.SHARD_DB, Role.REPLICA)) {
                assertEquals(0L, one(r, "select count(*) from fixture_lag"));
            }
        } finally {
            c.resumeReplay(0);
        }
        c.waitForReplicaCatchUp();
        try (Connection r = c.connect(TestDatabases.SHARD_DB, Role.REPLICA)) {
            assertEquals(1L, one(r, "select count(*) from fixture_lag"));
        }
    }

    @Test
    void startupFailureReportsTheLogTail() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PostgresCluster.start(
                "broken", db.baseDir(), 0, java.util.Map.of("shared_buffers", "bogus")).close());
        assertTrue(e.getMessage().contains("invalid value for parameter \"shared_buffers\""), e.getMessage());
        assertFalse(Files.exists(db.baseDir().resolve("broken")), "a failed cluster removes its directory");
    }

    @Test
    void referenceDatabaseIsFreshAndSeparate() throws SQLException {
        try (Connection c = db.connectReference()) {
            assertEquals(db.referenceDatabase(), one(c, "select current_database()"));
            assertEquals(0L, one(c, "select count(*) from pg_tables where schemaname = 'public'"));
        }
    }

    @Test
    void mariaDbShardDatabasesAreReachable() throws SQLException {
        MariaDbShards m = db.mariaDb();
        assertEquals(2, m.shardCount());
        for (int s = 0; s < m.shardCount(); s++) {
            try (Connection c = m.connect(s); Statement st = c.createStatement()) {
                assertEquals(m.database(s), one(c, "select database()"));
                st.execute("create table t (id int primary key, v varchar(20))");
                st.execute("insert into t values (1, 'shard" + s + "')");
                assertEquals("shard" + s, one(c, "select v from t where id = 1"));
            }
        }
        assertNotEquals(m.database(0), m.database(1));
    }

    @Test
    void mariaDbReplicaReplicates() throws SQLException {
        MariaDbReplicaPair pair = db.mariaDbReplicaPair();
        String dbName = db.mariaDbDatabase(0);
        try (Connection p = pair.connect(dbName, Role.PRIMARY); Statement st = p.createStatement()) {
            st.execute("create table rep (id int primary key, v varchar(20))");
            st.execute("insert into rep values (7, 'seven')");
        }
        pair.waitForReplicaCatchUp();
        try (Connection r = pair.connect(dbName, Role.REPLICA)) {
            assertEquals("seven", one(r, "select v from rep where id = 7"));
            assertEquals(1L, ((Number) one(r, "select @@read_only")).longValue());
        }
        pair.stopReplica();
        assertThrows(SQLException.class, () -> pair.connect(dbName, Role.REPLICA).close());
        try (Connection p = pair.connect(dbName, Role.PRIMARY); Statement st = p.createStatement()) {
            st.execute("insert into rep values (8, 'eight')");
        }
        int replicaPort = pair.replicaPort();
        pair.startReplica();
        assertEquals(replicaPort, pair.replicaPort(), "restarted replica keeps its port");
        pair.waitForReplicaCatchUp();
        try (Connection r = pair.connect(dbName, Role.REPLICA)) {
            assertEquals("eight", one(r, "select v from rep where id = 8"));
        }
    }

    @Test
    void writesConfigFiles() throws Exception {
        String rules = "rules:\n  by_user: { type: hash, column: user_id }\ntables:\n  orders: { rule: by_user }\n";
        Path pg = db.writePostgresConfig(rules);
        String yaml = Files.readString(pg);
        for (PostgresCluster c : db.shards()) {
            assertTrue(yaml.contains("jdbc:postgresql://127.0.0.1:" + c.primaryPort() + "/app"), yaml);
            assertTrue(yaml.contains("jdbc:postgresql://127.0.0.1:" + c.replicaPorts().get(0) + "/app"), yaml);
        }
        assertTrue(yaml.contains("  s1: { primary: s1-primary, replicas: [s1-replica] }\n"), yaml);
        assertTrue(yaml.contains(rules), yaml);
        assertTrue(yaml.contains("default-shard: s0\n"), yaml);

        String my = Files.readString(db.writeMariaDbConfig(rules));
        assertTrue(my.contains("url: \"jdbc:mysql://127.0.0.1:3306/" + db.mariaDbDatabase(1) + "\", user: root"), my);
        assertTrue(my.contains("  s0: { primary: s0-primary, replicas: [] }\n"), my);

        String rep = Files.readString(db.writeMariaDbReplicatedConfig(rules));
        assertTrue(rep.contains("s0-replica"), rep);
        List<Path> distinct = List.of(pg, db.writePostgresConfig(rules));
        assertNotEquals(distinct.get(0), distinct.get(1));
    }
}
