package io.shardgate.demo;

import io.shardgate.config.ConfigLoader;
import io.shardgate.config.RuleConfig;
import io.shardgate.config.ShardgateConfig;
import io.shardgate.config.TableConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoConfigTest {
    private static final Path DEMO_YAML = Path.of(System.getProperty("user.dir")).getParent().resolve("conf/demo.yaml");

    @Test
    void committedExampleLoadsWithDefaultPorts() {
        ShardgateConfig c = ConfigLoader.load(DEMO_YAML, name -> null);
        assertEquals(List.of("s0", "s1"), List.copyOf(c.shards().keySet()));
        assertEquals("jdbc:postgresql://127.0.0.1:54320/demo", c.database("s0-primary").url());
        assertEquals("jdbc:postgresql://127.0.0.1:54323/demo", c.database("s1-replica").url());
        assertEquals(List.of("s1-replica"), c.shard("s1").replicas());
        assertEquals(6432, c.proxy().listenPort());
        assertEquals(Map.of("demo", "demo", "admin", "admin"), c.proxy().users());
        assertTrue(c.proxy().isAdmin("admin"));
        assertShape(c);
    }

    @Test
    void committedExampleTakesPortsFromTheEnvironment() {
        ShardgateConfig c = ConfigLoader.load(DEMO_YAML, Map.of("DEMO_S1_PRIMARY_PORT", "6000")::get);
        assertEquals("jdbc:postgresql://127.0.0.1:6000/demo", c.database("s1-primary").url());
    }

    @Test
    void committedExampleIsTheTemplate() throws IOException {
        String file = Files.readString(DEMO_YAML);
        assertTrue(file.endsWith(DemoConfig.template(2)),
                "conf/demo.yaml should end with DemoConfig.template(2); regenerate it:\n" + DemoConfig.template(2));
    }

    @Test
    void writtenConfigurationNamesEveryServerOnItsPort() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("s0-primary", 41000);
        ports.put("s0-replica", 41001);
        ports.put("s1-primary", 41002);
        ports.put("s1-replica", 41003);
        ShardgateConfig c = DemoConfig.parse(DemoConfig.yaml(ports, 6432));
        assertEquals("jdbc:postgresql://127.0.0.1:41002/demo", c.database("s1-primary").url());
        assertEquals("demo", c.database("s1-primary").user());
        assertEquals("demo", c.database("s1-primary").password());
        assertEquals("127.0.0.1", c.proxy().listenHost());
        assertEquals(6432, c.proxy().listenPort());
        assertShape(c);
    }

    private static void assertShape(ShardgateConfig c) {
        RuleConfig.Hash rule = (RuleConfig.Hash) c.rules().get(DemoConfig.RULE);
        assertEquals(List.of("s0", "s1"), rule.shards());
        assertEquals(ConfigLoader.equalTokenRanges(List.of("s0", "s1")), rule.ranges());
        TableConfig users = c.table("users");
        assertEquals(DemoConfig.RULE, users.rule());
        assertEquals("id", users.key());
        TableConfig orders = c.table("orders");
        assertEquals(DemoConfig.RULE, orders.rule());
        assertEquals("user_id", orders.key());
        assertTrue(c.table("countries").reference());
    }
}
