package io.shardgate.route;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Read-your-writes across the whole driver instance or proxy: remembers when each table was last written and
 * sends reads of it to the primary for the configured window. Per table rather than per connection because an
 * application's pool spreads one request over many connections.
 */
public final class WriteTracker {
    private final long windowNanos;
    private final ConcurrentHashMap<String, Long> lastWrite = new ConcurrentHashMap<>();

    public WriteTracker(Duration window) {
        this.windowNanos = window.toNanos();
    }

    public boolean enabled() {
        return windowNanos > 0;
    }

    public void recordWrite(String table) {
        if (windowNanos > 0) {
            lastWrite.put(table, System.nanoTime());
        }
    }

    /** True when {@code table} was written less than the window ago. */
    public boolean recentlyWritten(String table) {
        if (windowNanos <= 0) {
            return false;
        }
        Long at = lastWrite.get(table);
        if (at == null) {
            return false;
        }
        if (System.nanoTime() - at < windowNanos) {
            return true;
        }
        lastWrite.remove(table, at);
        return false;
    }
}
