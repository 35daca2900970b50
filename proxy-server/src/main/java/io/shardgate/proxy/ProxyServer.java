package io.shardgate.proxy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.Future;
import io.shardgate.config.DatabaseConfig;
import io.shardgate.config.ProxyConfig;
import io.shardgate.config.ShardgateConfig;
import io.shardgate.proxy.auth.Scram;
import io.shardgate.proxy.backend.BackendAddress;
import io.shardgate.proxy.backend.BackendConnection;
import io.shardgate.proxy.backend.BackendPool;
import io.shardgate.route.Router;
import io.shardgate.route.RouterFactory;
import io.shardgate.topology.HealthProber;
import io.shardgate.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Collections;
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

    private final ShardgateConfig config;
    private final ProxyConfig proxy;
    private final Router router;
    private final Topology topology;
    private final HealthProber prober;
    private final Map<String, HikariDataSource> controlPools = new ConcurrentHashMap<>();
    private final Map<String, BackendPool> pools = new LinkedHashMap<>();
    private final Map<String, Scram.Secret> secrets = new ConcurrentHashMap<>();
    private final Map<Integer, ClientSession> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger clients = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();
    private final SslContext ssl;
    private volatile Map<String, String> parameterStatus = Map.of();
    private final boolean routingMayBlock;
    private final java.util.concurrent.ExecutorService routingExecutor;
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
        for (DatabaseConfig db : config.databases().values()) {
            pools.put(db.name(), new BackendPool(BackendAddress.of(db), db.pool(), proxy.maxMessageSize()));
        }
        try {
            this.ssl = proxy.tls() ? SslContextBuilder.forServer(new File(proxy.tlsCert()), new File(proxy.tlsKey()))
                    .build() : null;
        } catch (Exception e) {
            throw new IllegalArgumentException("proxy.tls: cannot load certificate/key: " + e.getMessage(), e);
        }
    }

    /** Binds the listen address; returns once clients can connect. */
    public ProxyServer start() throws InterruptedException {
        boss = new NioEventLoopGroup(1);
        workers = new NioEventLoopGroup(proxy.workers());
        learnParameterStatus();
        prober.start();
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        clientChannels.add(ch);
                        ch.pipeline().addLast("startup", new StartupHandler(ssl, proxy.maxMessageSize()));
                        ch.pipeline().addLast("session", new ClientSession(ProxyServer.this));
                    }
                });
        listener = b.bind(proxy.listenHost(), proxy.listenPort()).sync().channel();
        LOG.info("shardgate proxy listening on {} ({} pooling, auth {}, {} databases)", listener.localAddress(),
                proxy.poolMode().configName(), proxy.auth().configName(), pools.size());
        return this;
    }

    /** The port actually bound (useful with {@code listen: 0}). */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
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
        return controlPools.computeIfAbsent(database, n -> {
            DatabaseConfig db = config.database(n);
            HikariConfig hc = new HikariConfig();
            hc.setJdbcUrl(db.url());
            hc.setUsername(db.user());
            hc.setPassword(db.password());
            hc.setMaximumPoolSize(2);
            hc.setMinimumIdle(0);
            hc.setPoolName("shardgate-control-" + n);
            hc.setInitializationFailTimeout(-1);
            db.properties().forEach(hc::addDataSourceProperty);
            return new HikariDataSource(hc);
        });
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
            throw new IllegalStateException("[BUG] no pool for database " + database);
        }
        return p;
    }

    /** The backend pools by database name, for tests and the admin console. */
    public Map<String, BackendPool> pools() {
        return Collections.unmodifiableMap(pools);
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
