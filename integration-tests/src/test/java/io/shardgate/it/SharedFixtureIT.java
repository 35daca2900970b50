package io.shardgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardgate.it.fixture.Role;
import io.shardgate.it.fixture.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** A second test class on the same fixture: it reuses the servers the first one started (same JVM). */
class SharedFixtureIT {
    @Test
    void secondClassSeesTheSameServers() throws Exception {
        TestDatabases db = TestDatabases.get();
        assertTrue(db.baseDir().toString().endsWith("shardgate-it-" + ProcessHandle.current().pid()));
        for (int s = 0; s < db.shards().size(); s++) {
            try (Connection c = db.connectShard(s, Role.PRIMARY); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select current_database(), inet_server_port()")) {
                rs.next();
                assertEquals(TestDatabases.SHARD_DB, rs.getString(1));
                assertEquals(db.shard(s).primaryPort(), rs.getInt(2));
            }
        }
    }
}
