package io.shardgate.proxy;

import com.zaxxer.hikari.HikariDataSource;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.Future;
import io.shardgate.config.ConfigException;
import io.shardgate.config.ConfigLoader;
import io.shardgate.config.DatabaseConfig;
import io.shardgate.config.ProxyConfig;
import io.shardgate.config.ShardgateConfig;
import io.shardgate.proxy.auth.Scram;
import io.shardgate.proxy.backend.BackendAddress;
import io.shardgate.proxy.backend.BackendConnection;
import io.shardgate.proxy.backend.BackendPool;
import io.shardgate.proxy.metrics.MetricsHttpServer;
import io.shardgate.proxy.metrics.ProxyMetrics;
import io.shardgate.route.Router;
import io.shardgate.route.RouterFactory;
import io.shardgate.topology.HealthProber;
import io.shardgate.topology.JdbcPools;
import io.shardgate.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL wire-protocol proxy: a Netty server whose sessions route every statement with the {@link Router}
 * over pooled backend connections. The control plane (health probes, directory lookups) uses small HikariCP pools
 * on its own threads; the event loops never block on JDBC.
 */
public final class ProxyServer implements AutoCloseable {
    static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);

    // swapped together by RELOAD (the proxy: section itself needs a restart)
    private volatile ShardgateConfig config;
    private final ProxyConfig proxy;
    private volatile Router router;
    private volatile Topology topology;
    private volatile HealthProber prober;
    private final Map<String, HikariDataSource> controlPools = new ConcurrentHashMap<>();
    private volatile Map<String, BackendPool> pools = Map.of();
    private final ProxyMetrics metrics = new ProxyMetrics();
    private final PauseGate pauses = new PauseGate();
    private final long startedAtMillis = System.currentTimeMillis();
    private MetricsHttpServer metricsServer;
    private final Map<String, Scram.Secret> secrets = new ConcurrentHashMap<>();
    private final Map<Integer, ClientSession> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger clients = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();
    private final SslContext ssl;
    private volatile Map<String, String> parameterStatus = Map.of();
    private final boolean routingMayBlock;
    private final java.util.concurrent.ExecutorService routingExecutor;
    private NetTransport transport;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel listener;
    /** Every client connection, from accept to close (for the drain at shutdown). */
    private final io.netty.channel.group.ChannelGroup clientChannels =
            new io.netty.channel.group.DefaultChannelGroup(io.netty.util.concurrent.GlobalEventExecutor.INSTANCE);
    private volatile boolean shuttingDown;

    public ProxyServer(ShardgateConfig config) {
        this.config = config;
        this.proxy = config.proxy();
        this.topology = new Topology(config);
        this.router = RouterFactory.create(config, topology, this::controlPool, true);
        this.prober = new HealthProber(config, topology, this::controlPool);
        this.routingMayBlock = config.rules().values().stream()
                .anyMatch(r -> r instanceof io.shardgate.config.RuleConfig.Directory);
        AtomicInteger routingThreads = new AtomicInteger();
        this.routingExecutor = routingMayBlock ? java.util.concurrent.Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "shardgate-route-" + routingThreads.incrementAndGet());
            t.setDaemon(true);
            return t;
        }) : null;
        this.pools = poolsFor(config, Map.of());
        metrics.proxyGauges(clients::get, () -> pauses.paused().size());
        registerDatabaseMetrics(config);
        try {
            this.ssl = proxy.tls() ? SslContextBuilder.forServer(new File(proxy.tlsCert()), new File(proxy.tlsKey()))
                    .build() : null;
        } catch (Exception e) {
            throw new IllegalArgumentException("proxy.tls: cannot load certificate/key: " + e.getMessage(), e);
        }
    }

    /** Binds the listen address; returns once clients can connect. */
    public ProxyServer start() throws InterruptedException {
        transport = NetTransport.best();
        if (transport == NetTransport.NIO) {
            LOG.info("native epoll transport unavailable ({}); using Java NIO", NetTransport.unavailableReason());
        }
        boss = transport.newGroup(1);
        int loops = proxy.eventLoops();
        workers = transport.newGroup(loops);
        learnParameterStatus();
        prober.start();
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(transport.serverChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, LoopReadBuffer.INSTANCE)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        clientChannels.add(ch);
                        ch.pipeline().addLast("startup", new StartupHandler(ssl, proxy.maxMessageSize()));
                        ch.pipeline().addLast("session", new ClientSession(ProxyServer.this));
                    }
                });
        listener = b.bind(proxy.listenHost(), proxy.listenPort()).sync().channel();
        if (proxy.metricsEnabled()) {
            try {
                metricsServer = MetricsHttpServer.start(proxy.metricsHost(), proxy.metricsPort(), metrics);
                LOG.info("shardgate metrics on http://{}:{}/metrics", proxy.metricsHost(), metricsServer.port());
            } catch (java.io.IOException e) {
                listener.close();
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        LOG.info("shardgate proxy listening on {} ({} pooling, auth {}, {} databases, {} transport)",
                listener.localAddress(), proxy.poolMode().configName(), proxy.auth().configName(), pools.size(),
                transport.name().toLowerCase(java.util.Locale.ROOT));
        return this;
    }

    /** The port actually bound (useful with {@code listen: 0}). */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** The port of the {@code /metrics} endpoint, or -1 when metrics are off. */
    public int metricsPort() {
        return metricsServer == null ? -1 : metricsServer.port();
    }

    /** One pool per database of {@code cfg}; pools of {@code old} whose database is unchanged are kept. */
    private Map<String, BackendPool> poolsFor(ShardgateConfig cfg, Map<String, BackendPool> old) {
        Map<String, BackendPool> out = new LinkedHashMap<>();
        for (DatabaseConfig db : cfg.databases().values()) {
            BackendAddress address = BackendAddress.of(db);
            BackendPool p = old.get(db.name());
            out.put(db.name(), p != null && p.address().equals(address) && p.config().equals(db.pool()) ? p
                    : new BackendPool(address, db.pool(), proxy.maxMessageSize()));
        }
        return Collections.unmodifiableMap(out);
    }

    private void registerDatabaseMetrics(ShardgateConfig cfg) {
        for (var shard : cfg.shards().values()) {
            registerDatabaseMetrics(shard.primary(), shard.name(), "primary");
            for (String r : shard.replicas()) {
                registerDatabaseMetrics(r, shard.name(), "replica");
            }
        }
    }

    private void registerDatabaseMetrics(String db, String shard, String role) {
        metrics.database(db, shard, role, new ProxyMetrics.DatabaseProbe() {
            private BackendPool pool() {
                return pools.get(db);
            }

            @Override
            public int active() {
                BackendPool p = pool();
                return p == null ? 0 : Math.max(0, p.open() - p.idle());
            }

            @Override
            public int idle() {
                BackendPool p = pool();
                return p == null ? 0 : p.idle();
            }

            @Override
            public int waiting() {
                BackendPool p = pool();
                return p == null ? 0 : p.waiting();
            }

            @Override
            public int max() {
                BackendPool p = pool();
                return p == null ? 0 : p.maxSize();
            }

            @Override
            public long waits() {
                BackendPool p = pool();
                return p == null ? 0 : p.waits();
            }

            @Override
            public long timeouts() {
                BackendPool p = pool();
                return p == null ? 0 : p.timeouts();
            }

            @Override
            public boolean up() {
                Topology.DatabaseState st = topology.state(db);
                return st != null && st.up();
            }

            @Override
            public long lagMillis() {
                Topology.DatabaseState st = topology.state(db);
                return st == null ? 0 : st.lagMillis();
            }
        });
    }

    /**
     * RELOAD: reads the configuration file again. A file with problems throws {@link ConfigException} and nothing
     * changes; a good one swaps the router, the topology (with a new health prober) and the pools of databases that
     * were added or changed, for the statements that start afterwards. The {@code proxy:} section is not applied
     * (listen address, auth, users, pool mode need a restart); the returned notes say so when it changed.
     * Runs JDBC and file I/O: call it off the event loops.
     */
    public synchronized List<String> reload() {
        ShardgateConfig old = config;
        if (old.source() == null || old.source().startsWith("<")) {
            throw new ConfigException(String.valueOf(old.source()),
                    List.of("this proxy was not started from a configuration file; nothing to reload"));
        }
        ShardgateConfig fresh = ConfigLoader.load(Path.of(old.source()));
        List<String> notes = new ArrayList<>();
        ProxyConfig p = fresh.proxy();
        if (!p.withListen(proxy.listenHost(), proxy.listenPort()).equals(proxy)) {
            notes.add("the proxy: section changed; it takes effect at the next restart");
        }
        fresh = new ShardgateConfig(fresh.source(), fresh.databases(), fresh.shards(), fresh.rules(), fresh.tables(),
                fresh.defaultShard(), fresh.readWrite(), fresh.pool(), fresh.allowScatterWrites(),
                fresh.analysisCacheSize(), fresh.dialect(), proxy);
        if (!routingMayBlock && fresh.rules().values().stream()
                .anyMatch(r -> r instanceof io.shardgate.config.RuleConfig.Directory)) {
            throw new ConfigException(fresh.source(), List.of("rules: the new file adds a directory rule; directory "
                    + "lookups need the routing threads that are only started with the proxy, so restart it"));
        }
        Topology newTopology = new Topology(fresh);
        ShardgateConfig cfg = fresh;
        for (Map.Entry<String, HikariDataSource> e : controlPools.entrySet()) {
            DatabaseConfig before = old.databases().get(e.getKey());
            DatabaseConfig after = cfg.databases().get(e.getKey());
            if (after == null || !after.equals(before)) {
                controlPools.remove(e.getKey()).close(); // opened again on demand with the new settings
            }
        }
        Router newRouter = RouterFactory.create(fresh, newTopology, this::controlPool, true);
        HealthProber newProber = new HealthProber(fresh, newTopology, this::controlPool);
        Topology oldTopology = topology;
        newTopology.states().forEach((db, st) -> { // keep what the probes knew until they look again
            Topology.DatabaseState before = oldTopology.state(db);
            if (before != null && before.checkedAtMillis() > 0) {
                if (before.up()) {
                    st.markUp(before.lagMillis());
                } else {
                    st.markDown(before.lastError());
                }
            }
        });
        Map<String, BackendPool> oldPools = pools;
        Map<String, BackendPool> newPools = poolsFor(fresh, oldPools);
        HealthProber oldProber = prober;
        this.config = fresh;
        this.pools = newPools;
        this.topology = newTopology;
        this.router = newRouter;
        this.prober = newProber;
        newProber.start();
        oldProber.close();
        registerDatabaseMetrics(fresh);
        for (Map.Entry<String, BackendPool> e : oldPools.entrySet()) {
            if (newPools.get(e.getKey()) != e.getValue()) {
                e.getValue().close(); // connections still lent out are closed when they come back
                notes.add("database " + e.getKey() + (newPools.containsKey(e.getKey()) ? " changed" : " removed"));
            }
        }
        for (String db : newPools.keySet()) {
            if (!oldPools.containsKey(db)) {
                notes.add("database " + db + " added");
            }
        }
        LOG.info("configuration reloaded from {}: {} databases, {} shards{}", fresh.source(), newPools.size(),
                fresh.shards().size(), notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")");
        return notes;
    }

    public ProxyMetrics metrics() {
        return metrics;
    }

    PauseGate pauses() {
        return pauses;
    }

    long startedAtMillis() {
        return startedAtMillis;
    }

    /** The logged-in client sessions (for the admin console). */
    Collection<ClientSession> sessions() {
        return sessions.values();
    }

    /** Logs in to the default shard's primary once, to tell clients the real server version and settings. */
    private void learnParameterStatus() {
        String db = config.shard(config.defaultShard()).primary();
        BackendPool pool = pools.get(db);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("server_version", "15.0");
        params.put("server_encoding", "UTF8");
        params.put("DateStyle", "ISO, MDY");
        params.put("integer_datetimes", "on");
        params.put("standard_conforming_strings", "on");
        params.put("TimeZone", "UTC");
        params.put("IntervalStyle", "postgres");
        params.put("is_superuser", "off");
        try {
            io.netty.channel.EventLoop loop = (io.netty.channel.EventLoop) workers.next();
            Future<BackendConnection> f = loop.submit(() -> pool.acquire(loop)).get();
            f.await(Math.max(1000, config.database(db).pool().connectionTimeout().toMillis()));
            if (f.isSuccess()) {
                BackendConnection c = f.getNow();
                for (Map.Entry<String, String> e : c.parameters().entrySet()) {
                    if (!e.getKey().equals("application_name") && !e.getKey().equals("session_authorization")) {
                        params.put(e.getKey(), e.getValue());
                    }
                }
                c.channel().eventLoop().execute(() -> pool.release(c));
            } else {
                LOG.warn("cannot reach the default shard's primary {} at startup: {}", db,
                        f.cause() == null ? "timeout" : f.cause().getMessage());
            }
        } catch (Exception e) {
            LOG.warn("cannot reach the default shard's primary {} at startup: {}", db, e.toString());
        }
        parameterStatus = Collections.unmodifiableMap(params);
    }

    private HikariDataSource controlPool(String database) {
        return controlPools.computeIfAbsent(database,
                n -> JdbcPools.small(config.database(n), "shardgate-control-" + n, 2));
    }

    /** With directory rules a route may read the directory table: route off the event loops. */
    boolean routingMayBlock() {
        return routingMayBlock;
    }

    java.util.concurrent.ExecutorService routingExecutor() {
        return routingExecutor;
    }

    public ShardgateConfig config() {
        return config;
    }

    ProxyConfig proxyConfig() {
        return proxy;
    }

    public Router router() {
        return router;
    }

    public Topology topology() {
        return topology;
    }

    BackendPool pool(String database) {
        BackendPool p = pools.get(database);
        if (p == null) {
            // a session holding a connection of a database that a RELOAD removed: close it when released
            p = retiredPool(database);
        }
        if (p == null) {
            throw new IllegalStateException("[BUG] no pool for database " + database);
        }
        return p;
    }

    /** The backend pools by database name, for tests and the admin console. */
    public Map<String, BackendPool> pools() {
        return pools;
    }

    private final Map<String, BackendPool> retired = new ConcurrentHashMap<>();

    private BackendPool retiredPool(String database) {
        return retired.computeIfAbsent(database, n -> {
            BackendPool p = new BackendPool(new BackendAddress(n, "", 0, "", "", ""),
                    io.shardgate.config.PoolConfig.DEFAULT, proxy.maxMessageSize());
            p.close();
            return p;
        });
    }

    public int clientCount() {
        return clients.get();
    }

    Map<String, String> parameterStatus() {
        return parameterStatus;
    }

    Scram.Secret scramSecret(String user) {
        return secrets.computeIfAbsent(user, u -> Scram.Secret.of(proxy.users().get(u)));
    }

    boolean admitClient() {
        if (clients.incrementAndGet() > proxy.maxClientConnections()) {
            clients.decrementAndGet();
            return false;
        }
        return true;
    }

    private void forEachSession(java.util.function.Consumer<ClientSession> action) {
        for (Channel c : clientChannels) {
            ClientSession s = c.pipeline().get(ClientSession.class);
            if (s != null) {
                c.eventLoop().execute(() -> action.accept(s));
            } else {
                c.close();
            }
        }
    }

    private boolean awaitNoClients(long deadlineNanos) {
        while (!clientChannels.isEmpty() && System.nanoTime() < deadlineNanos) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return clientChannels.isEmpty();
    }

    void clientLeft() {
        clients.decrementAndGet();
    }

    int[] register(ClientSession s) {
        while (true) {
            int pid = random.nextInt(Integer.MAX_VALUE - 1) + 1;
            if (sessions.putIfAbsent(pid, s) == null) {
                return new int[] {pid, random.nextInt()};
            }
        }
    }

    void unregister(int pid, ClientSession s) {
        sessions.remove(pid, s);
    }

    void cancel(int pid, int secret) {
        ClientSession s = sessions.get(pid);
        if (s != null && s.secretKey() == secret) {
            s.channel().eventLoop().execute(s::cancelRunning);
        }
    }

    /** True once {@link #close()} began: new logins are refused (57P03) and sessions end when idle. */
    boolean shuttingDown() {
        return shuttingDown;
    }

    /**
     * The drain (what SIGTERM runs): stops accepting at once; idle clients are closed with FATAL 57P01, clients
     * inside a transaction or running a statement go on until it ends and are then closed the same way; after
     * {@code proxy.shutdown-timeout} the rest are closed (57P01, their backends cancelled), then everything stops.
     */
    @Override
    public void close() {
        shuttingDown = true;
        if (listener != null) {
            listener.close().awaitUninterruptibly();
        }
        forEachSession(ClientSession::shutdownRequested);
        long deadline = System.nanoTime() + proxy.shutdownTimeout().toNanos();
        if (!awaitNoClients(deadline)) {
            LOG.info("shutdown: {} clients still connected after proxy.shutdown-timeout {}, closing them",
                    clientChannels.size(), proxy.shutdownTimeout());
            forEachSession(ClientSession::terminateNow);
            awaitNoClients(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
        }
        clientChannels.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        pools.values().forEach(BackendPool::close);
        if (metricsServer != null) {
            metricsServer.close();
        }
        if (workers != null) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        prober.close();
        if (routingExecutor != null) {
            routingExecutor.shutdownNow();
        }
        controlPools.values().forEach(HikariDataSource::close);
    }
}
