package io.shardgate.cli;

import io.shardgate.config.ConfigLoader;
import io.shardgate.config.ShardgateConfig;
import io.shardgate.route.RoutePlan;
import io.shardgate.route.Router;
import io.shardgate.route.RouterFactory;
import io.shardgate.route.SessionState;
import io.shardgate.topology.Topology;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoCommandTest {
    @Test
    void everySuggestedStatementRoutesOnTheDemoConfiguration() {
        ShardgateConfig c = ConfigLoader.load(Path.of(System.getProperty("user.dir")).getParent()
                .resolve("conf/demo.yaml"), name -> null);
        Router router = RouterFactory.create(c, new Topology(c), name -> null, false);
        for (String sql : DemoCommand.EXAMPLES) {
            RoutePlan plan = router.route(sql, List.of(), SessionState.AUTOCOMMIT);
            assertFalse(plan.statements().isEmpty(), sql);
        }
        RoutePlan one = router.route(DemoCommand.EXAMPLES.get(1), List.of(), SessionState.AUTOCOMMIT);
        assertEquals(1, one.statements().size(), "a key lookup goes to one shard");
    }

    @Test
    void registeredWithItsOptions() {
        CommandLine cli = new CommandLine(new ShardgateCli());
        assertTrue(cli.getSubcommands().containsKey("demo"), "shardgate demo");
        cli.parseArgs("demo", "--port", "7000", "--keep", "--data-dir", "/tmp/x", "--postgres", "embedded");
        DemoCommand cmd = cli.getSubcommands().get("demo").getCommand();
        assertEquals(7000, cmd.port);
        assertTrue(cmd.keep);
        assertEquals(Path.of("/tmp/x"), cmd.dataDir);
        assertEquals("embedded", cmd.postgres);
        CommandLine fresh = new CommandLine(new ShardgateCli());
        fresh.parseArgs("demo");
        DemoCommand defaults = fresh.getSubcommands().get("demo").getCommand();
        assertEquals(6432, defaults.port);
        assertFalse(defaults.keep);
    }
}
