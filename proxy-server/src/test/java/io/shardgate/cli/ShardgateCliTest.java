package io.shardgate.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardgateCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    private static Path example() {
        return Path.of(System.getProperty("user.dir")).getParent().resolve("conf/postgres.yaml");
    }

    @Test
    void checkConfigSummarisesAValidFile() {
        assertEquals(0, ShardgateCli.run("check-config", example().toString()));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("OK (postgresql)"), text);
        assertTrue(text.contains("users  sharded by by-user on id"), text);
    }

    @Test
    void checkConfigListsEveryProblemAndFails(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                databases:
                  a: { url: "jdbc:postgresql://h/app", user: app }
                shards:
                  s0: { primary: a, replicas: [b] }
                tables:
                  t: { rule: missing }
                """);
        assertEquals(1, ShardgateCli.run("check-config", bad.toString()));
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("shards.s0.replicas[0]: unknown database 'b'"), text);
        assertTrue(text.contains("tables.t.rule: unknown rule 'missing'"), text);
        assertTrue(text.contains("tables.t.key: missing"), text);
    }

    @Test
    void explainPrintsTheSameRowsAsExplainRoute() {
        assertEquals(0, ShardgateCli.run("explain", "--config", example().toString(),
                "SELECT * FROM users WHERE id = 42"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("shard | role    | database   | sql"), text);
        assertTrue(text.contains("| replica | s0-replica | SELECT * FROM users WHERE id = 42"), text);
    }

    @Test
    void explainReportsARefusalWithItsReason() {
        assertEquals(2, ShardgateCli.run("explain", "--config", example().toString(), "DELETE FROM orders"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no condition on its shard key user_id"));
    }
}
