package io.shardgate.jdbc;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardgateUrlTest {
    @Test
    void plainAbsolutePath() throws SQLException {
        ShardgateUrl u = ShardgateUrl.parse("jdbc:shardgate:/etc/app/shardgate.yaml");
        assertEquals(Path.of("/etc/app/shardgate.yaml"), u.configPath());
        assertEquals(Map.of(), u.options());
    }

    @Test
    void relativePathIsResolvedAgainstTheWorkingDirectory() throws SQLException {
        ShardgateUrl u = ShardgateUrl.parse("jdbc:shardgate:conf/../conf/demo.yaml");
        assertEquals(Path.of("conf/demo.yaml").toAbsolutePath().normalize(), u.configPath());
    }

    @Test
    void fileForms() throws SQLException {
        Path expected = Path.of("/etc/app/sg.yaml");
        assertEquals(expected, ShardgateUrl.parse("jdbc:shardgate:file:/etc/app/sg.yaml").configPath());
        assertEquals(expected, ShardgateUrl.parse("jdbc:shardgate:file:///etc/app/sg.yaml").configPath());
        assertEquals(expected, ShardgateUrl.parse("jdbc:shardgate:file://localhost/etc/app/sg.yaml").configPath());
        assertEquals(expected, ShardgateUrl.parse("jdbc:shardgate:/etc/app/./x/../sg.yaml").configPath());
    }

    @Test
    void queryPartIsKeptAsOptions() throws SQLException {
        ShardgateUrl u = ShardgateUrl.parse("jdbc:shardgate:/a/b.yaml?x=1&flag&name=a%20b");
        assertEquals(Path.of("/a/b.yaml"), u.configPath());
        assertEquals(Map.of("x", "1", "flag", "", "name", "a b"), u.options());
    }

    @Test
    void acceptsOnlyShardgateUrls() {
        assertTrue(ShardgateUrl.accepts("jdbc:shardgate:/x.yaml"));
        assertTrue(ShardgateUrl.accepts("JDBC:SHARDGATE:/x.yaml"));
        assertFalse(ShardgateUrl.accepts("jdbc:postgresql://localhost/app"));
        assertFalse(ShardgateUrl.accepts(null));
        assertFalse(new ShardgateDriver().acceptsURL("jdbc:mysql://x/y"));
    }

    @Test
    void missingPathIsAnError() {
        SQLException e = assertThrows(SQLException.class, () -> ShardgateUrl.parse("jdbc:shardgate:"));
        assertEquals("08001", e.getSQLState());
        assertTrue(e.getMessage().contains("names no configuration file"), e.getMessage());
        e = assertThrows(SQLException.class, () -> ShardgateUrl.parse("jdbc:shardgate:?a=b"));
        assertEquals("08001", e.getSQLState());
    }

    @Test
    void remoteFileUrlIsRefused() {
        SQLException e = assertThrows(SQLException.class,
                () -> ShardgateUrl.parse("jdbc:shardgate:file://otherhost/etc/sg.yaml"));
        assertTrue(e.getMessage().contains("otherhost"), e.getMessage());
    }
}
