package io.shardgate.proxy;

import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code PAUSE} / {@code RESUME} of the admin console. A paused database lends no new backend connection: a session
 * that needs one parks its continuation here and runs it on its own event loop after {@code RESUME} (nothing blocks).
 * Connections a session already holds (a running statement, an open transaction) are not affected, so running work
 * finishes. The hot path pays one volatile read while nothing is paused.
 */
final class PauseGate {
    private record Parked(EventLoop loop, Runnable resume) {
    }

    private final Set<String> paused = ConcurrentHashMap.newKeySet();
    private final List<Parked> parked = new ArrayList<>();
    private volatile boolean any;

    /** Whether any database is paused (one volatile read). */
    boolean active() {
        return any;
    }

    /** True when one of {@code databases} is paused: then {@code resume} runs on {@code loop} after a RESUME. */
    boolean park(Collection<String> databases, EventLoop loop, Runnable resume) {
        if (!any) {
            return false;
        }
        synchronized (this) {
            for (String db : databases) {
                if (paused.contains(db)) {
                    parked.add(new Parked(loop, resume));
                    return true;
                }
            }
        }
        return false;
    }

    /** Takes {@code resume} back (the client cancelled); false when it is not parked (already resumed). */
    synchronized boolean unpark(Runnable resume) {
        return parked.removeIf(p -> p.resume == resume);
    }

    synchronized void pause(Collection<String> databases) {
        paused.addAll(databases);
        any = !paused.isEmpty();
    }

    /** Lifts the pause of {@code databases}; every parked continuation runs again (and parks again if still paused). */
    void resume(Collection<String> databases) {
        List<Parked> wake;
        synchronized (this) {
            paused.removeAll(databases);
            any = !paused.isEmpty();
            wake = new ArrayList<>(parked);
            parked.clear();
        }
        for (Parked p : wake) {
            p.loop.execute(p.resume);
        }
    }

    Set<String> paused() {
        return new TreeSet<>(paused);
    }

    synchronized int parked() {
        return parked.size();
    }
}
