package io.shardgate.proxy;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PauseGateTest {
    @Test
    void aPausedDatabaseParksTheContinuationUntilResume() {
        PauseGate gate = new PauseGate();
        EmbeddedChannel ch = new EmbeddedChannel();
        int[] ran = {0};
        assertFalse(gate.park(List.of("s0-primary"), ch.eventLoop(), () -> ran[0]++), "nothing paused");
        gate.pause(List.of("s1-primary", "s1-replica"));
        assertFalse(gate.park(List.of("s0-primary"), ch.eventLoop(), () -> ran[0]++), "another shard");
        assertTrue(gate.park(List.of("s0-primary", "s1-primary"), ch.eventLoop(), () -> ran[0]++));
        assertEquals(1, gate.parked());
        assertEquals(Set.of("s1-primary", "s1-replica"), gate.paused());
        ch.runPendingTasks();
        assertEquals(0, ran[0]);
        gate.resume(List.of("s1-primary", "s1-replica"));
        ch.runPendingTasks();
        assertEquals(1, ran[0]);
        assertEquals(0, gate.parked());
        assertTrue(gate.paused().isEmpty());
        ch.finishAndReleaseAll();
    }
}
