package io.shardgate.it.driver;

import io.shardgate.it.fixture.TestDatabases;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one jar an application adds is enough: loaded alone in its own class loader (nothing from this build's class
 * path), it registers shardgate's driver through META-INF/services and routes a statement over the real shards.
 */
class ShadedJarIT {
    @Test
    void theShadedDriverJarWorksOnItsOwn() throws Exception {
        Path target = Path.of(System.getProperty("shardgate.root", ".."), "jdbc-driver", "target");
        Path jar;
        try (Stream<Path> files = Files.list(target)) {
            jar = files.filter(p -> p.getFileName().toString().matches("shardgate-jdbc-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no shardgate-jdbc-*.jar in " + target + "; run mvn package"));
        }
        TestDatabases db = TestDatabases.get();
        Path config = db.writePostgresConfig("""
                rules:
                  jar-by-id: { type: hash, shards: [s0, s1] }
                tables:
                  jar_items: { rule: jar-by-id, key: id }
                """);
        try (URLClassLoader isolated = new URLClassLoader(new URL[]{jar.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            List<String> drivers = new ArrayList<>();
            Driver shardgate = null;
            for (Driver d : ServiceLoader.load(Driver.class, isolated)) {
                drivers.add(d.getClass().getName());
                if (d.acceptsURL("jdbc:shardgate:" + config)) {
                    shardgate = d;
                }
            }
            assertTrue(shardgate != null, "no driver in the jar accepts jdbc:shardgate: URLs; found " + drivers);
            assertEquals("io.shardgate.jdbc.ShardgateDriver", shardgate.getClass().getName());
            assertTrue(shardgate.getClass().getClassLoader() == isolated, "loaded from the jar itself");
            try (Connection c = shardgate.connect("jdbc:shardgate:" + config, new Properties());
                 Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS jar_items");
                s.execute("CREATE TABLE jar_items (id BIGINT PRIMARY KEY, name TEXT)");
                s.executeUpdate("INSERT INTO jar_items (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM jar_items")) {
                    assertTrue(rs.next());
                    assertEquals(3, rs.getLong(1));
                }
            }
        }
    }
}
