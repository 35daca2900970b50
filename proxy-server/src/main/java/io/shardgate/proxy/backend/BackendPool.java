package io.shardgate.proxy.backend;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.shardgate.config.PoolConfig;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The backend connections of one physical database. The size limit ({@code maximum-size}) holds across the whole
 * proxy; the idle connections and the waiting clients are kept per event loop ({@link LoopPool}), so that a
 * connection always runs on its client's loop and nothing is locked. When one loop has clients waiting and another
 * has idle connections, the idle ones are closed to free their places. A client that waits longer than
 * {@code connection-timeout} gets an error.
 */
public final class BackendPool {
    private final BackendAddress address;
    private final PoolConfig config;
    private final int maxFrameSize;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong waits = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();
    private final Map<EventLoop, LoopPool> loops = new ConcurrentHashMap<>();
    /** Every open connection and when it logged in (epoch ms), for SHOW SERVERS. */
    private final Map<BackendConnection, Long> connections = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public BackendPool(BackendAddress address, PoolConfig config, int maxFrameSize) {
        this.address = address;
        this.config = config;
        this.maxFrameSize = maxFrameSize;
    }

    public BackendAddress address() {
        return address;
    }

    public int open() {
        return open.get();
    }

    public int waiting() {
        return waiting.get();
    }

    public int maxSize() {
        return config.maximumPoolSize();
    }

    public long timeouts() {
        return timeouts.get();
    }

    /** Borrows that had to wait for a connection. */
    public long waits() {
        return waits.get();
    }

    public PoolConfig config() {
        return config;
    }

    /** The open connections with the time each one logged in (epoch milliseconds); a live view. */
    public Map<BackendConnection, Long> connections() {
        return java.util.Collections.unmodifiableMap(connections);
    }

    public int idle() {
        int n = 0;
        for (LoopPool lp : loops.values()) {
            n += lp.idle.size();
        }
        return n;
    }

    /**
     * An idle connection of {@code loop}'s own pool, or null when it has none (then {@link #acquire} connects or
     * waits). The common case of a busy proxy, served without a promise; must be called on {@code loop}.
     */
    public BackendConnection pollIdle(EventLoop loop) {
        LoopPool lp = loops.get(loop);
        return lp == null ? null : lp.takeIdle();
    }

    /** Borrows a connection; must be called on {@code loop}, and the future completes there. */
    public Future<BackendConnection> acquire(EventLoop loop) {
        return loops.computeIfAbsent(loop, LoopPool::new).acquire();
    }

    /** Gives a connection back (on its own loop). A broken or busy one is closed instead. */
    public void release(BackendConnection c) {
        LoopPool lp = loops.get(c.channel().eventLoop());
        c.listener(null);
        c.expecting.clear();
        if (lp == null || closed) {
            c.close();
            return;
        }
        lp.release(c);
    }

    public void close() {
        closed = true;
        for (LoopPool lp : loops.values()) {
            lp.loop.execute(lp::closeAll);
        }
    }

    private boolean tryReserve() {
        while (true) {
            int n = open.get();
            if (n >= config.maximumPoolSize()) {
                return false;
            }
            if (open.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** A place became free: let every loop with waiting clients try again. */
    private void placeFreed() {
        if (waiting.get() > 0) {
            for (LoopPool lp : loops.values()) {
                lp.loop.execute(lp::serveWaiters);
            }
        }
    }

    private final class Waiter {
        final Promise<BackendConnection> promise;
        ScheduledFuture<?> timer;

        Waiter(Promise<BackendConnection> promise) {
            this.promise = promise;
        }
    }

    private final class LoopPool {
        final EventLoop loop;
        final ArrayDeque<BackendConnection> idle = new ArrayDeque<>();
        final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

        LoopPool(EventLoop loop) {
            this.loop = loop;
            long every = Math.max(1000, Math.min(config.idleTimeout().toMillis() / 2, 30_000));
            if (!config.idleTimeout().isZero()) {
                loop.scheduleAtFixedRate(this::evictIdle, every, every, TimeUnit.MILLISECONDS);
            }
        }

        /** The most recently used idle connection that is still usable (broken ones are closed), or null. */
        BackendConnection takeIdle() {
            BackendConnection c;
            while ((c = idle.pollLast()) != null) {
                if (c.usable()) {
                    return c;
                }
                c.close();
            }
            return null;
        }

        Future<BackendConnection> acquire() {
            Promise<BackendConnection> p = loop.newPromise();
            BackendConnection c = takeIdle();
            if (c != null) {
                p.setSuccess(c);
                return p;
            }
            if (closed) {
                p.setFailure(new BackendException("the proxy is shutting down", null));
                return p;
            }
            if (tryReserve()) {
                connect(p);
                return p;
            }
            Waiter w = new Waiter(p);
            waits.incrementAndGet();
            waiting.incrementAndGet();
            waiters.addLast(w);
            long timeout = config.connectionTimeout().toMillis();
            w.timer = loop.schedule(() -> {
                if (waiters.remove(w)) {
                    waiting.decrementAndGet();
                    timeouts.incrementAndGet();
                    p.tryFailure(new BackendException("no connection to " + address.name() + " free within "
                            + timeout + "ms (pool maximum-size " + config.maximumPoolSize() + ", all in use)", null));
                }
            }, timeout, TimeUnit.MILLISECONDS);
            for (LoopPool other : loops.values()) {
                if (other != this) {
                    other.loop.execute(other::shedOne);
                }
            }
            return p;
        }

        private void connect(Promise<BackendConnection> p) {
            int timeout = (int) Math.max(250, config.connectionTimeout().toMillis());
            BackendConnection.connect(loop, address, timeout, maxFrameSize).addListener(f -> {
                if (f.isSuccess()) {
                    BackendConnection c = (BackendConnection) f.getNow();
                    connections.put(c, System.currentTimeMillis());
                    c.closeFuture().addListener(x -> {
                        connections.remove(c);
                        open.decrementAndGet();
                        idle.remove(c);
                        placeFreed();
                    });
                    if (!p.trySuccess(c)) {
                        release(c);
                    }
                } else {
                    open.decrementAndGet();
                    placeFreed();
                    p.tryFailure(f.cause());
                }
            });
        }

        void release(BackendConnection c) {
            if (!c.usable() || c.status() != io.shardgate.proxy.protocol.backend.TransactionStatus.IDLE) {
                c.close();
                return;
            }
            Waiter w = waiters.pollFirst();
            if (w != null) {
                waiting.decrementAndGet();
                w.timer.cancel(false);
                if (w.promise.trySuccess(c)) {
                    return;
                }
            }
            if (waiting.get() > 0) {
                c.close(); // another loop waits for a place
                return;
            }
            c.idleSince = System.nanoTime();
            idle.addLast(c);
        }

        void serveWaiters() {
            while (!waiters.isEmpty() && tryReserve()) {
                Waiter w = waiters.pollFirst();
                waiting.decrementAndGet();
                w.timer.cancel(false);
                connect(w.promise);
            }
        }

        void shedOne() {
            BackendConnection c = idle.pollFirst();
            if (c != null) {
                c.close();
            }
        }

        void evictIdle() {
            long limit = config.idleTimeout().toNanos();
            long now = System.nanoTime();
            for (Iterator<BackendConnection> it = idle.iterator(); it.hasNext(); ) {
                BackendConnection c = it.next();
                if (now - c.idleSince > limit || !c.usable()) {
                    it.remove();
                    c.close();
                }
            }
        }

        void closeAll() {
            List<BackendConnection> all = new ArrayList<>(idle);
            idle.clear();
            all.forEach(BackendConnection::close);
            for (Waiter w : waiters) {
                w.timer.cancel(false);
                w.promise.tryFailure(new BackendException("the proxy is shutting down", null));
            }
            waiting.addAndGet(-waiters.size());
            waiters.clear();
        }
    }
}
