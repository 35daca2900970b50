package io.shardgate.config;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The {@code proxy:} section: where the PostgreSQL wire-protocol proxy listens, how clients log in, and how backend
 * connections are pooled. Backend pool sizes and timeouts come from {@code pool} / {@code databases.*.pool}.
 *
 * @param listenHost          address to bind, default 127.0.0.1
 * @param listenPort          port, default 6432
 * @param poolMode            when a backend connection goes back to its pool
 * @param maxClientConnections client connections accepted at once; more are refused with 53300
 * @param auth                how clients prove who they are
 * @param users               user name to password (cleartext, ${VAR} expanded); empty with auth trust
 * @param tlsCert             PEM certificate chain for TLS, or null (SSLRequest answered 'N')
 * @param tlsKey              PEM PKCS#8 private key for TLS, or null
 * @param workers             event-loop threads (0 = half the cores, at least one: {@link #eventLoops()})
 * @param queryTimeout        a statement running longer is cancelled (0 = none)
 * @param shutdownTimeout     how long a SIGTERM waits for running transactions
 * @param maxMessageSize      largest protocol message accepted from a client or backend
 * @param adminUsers          users (of {@code users}) who may connect to the admin database {@code shardgate}
 * @param metricsHost         address of the Prometheus endpoint ({@code metrics.listen}), or null when off
 * @param metricsPort         its port (0 = any free port); -1 when metrics are off
 */
public record ProxyConfig(String listenHost, int listenPort, PoolMode poolMode, int maxClientConnections, Auth auth,
                          Map<String, String> users, String tlsCert, String tlsKey, int workers,
                          Duration queryTimeout, Duration shutdownTimeout, int maxMessageSize,
                          Set<String> adminUsers, String metricsHost, int metricsPort) {

    /** The name a client asks for to reach the admin console. */
    public static final String ADMIN_DATABASE = "shardgate";

    public static final ProxyConfig DEFAULT = new ProxyConfig("127.0.0.1", 6432, PoolMode.TRANSACTION, 1000,
            Auth.SCRAM_SHA_256, Map.of(), null, null, 0, Duration.ZERO, Duration.ofSeconds(30), 64 * 1024 * 1024);

    /** Without admin users and without metrics. */
    public ProxyConfig(String listenHost, int listenPort, PoolMode poolMode, int maxClientConnections, Auth auth,
                       Map<String, String> users, String tlsCert, String tlsKey, int workers,
                       Duration queryTimeout, Duration shutdownTimeout, int maxMessageSize) {
        this(listenHost, listenPort, poolMode, maxClientConnections, auth, users, tlsCert, tlsKey, workers,
                queryTimeout, shutdownTimeout, maxMessageSize, Set.of(), null, -1);
    }

    /** The same settings listening on {@code host:port} (the {@code --listen} override). */
    public ProxyConfig withListen(String host, int port) {
        return new ProxyConfig(host, port, poolMode, maxClientConnections, auth, users, tlsCert, tlsKey, workers,
                queryTimeout, shutdownTimeout, maxMessageSize, adminUsers, metricsHost, metricsPort);
    }

    /** The event-loop threads to start: {@code workers}, or for 0 the default for this machine's cores. */
    public int eventLoops() {
        return workers > 0 ? workers : defaultEventLoops(Runtime.getRuntime().availableProcessors());
    }

    /**
     * Half the cores, at least one. A proxy's loop spends most of its time in send/recv system calls, and it usually
     * shares the host with the clients or the database it serves: on a small machine every extra loop costs wake-ups
     * and preemptions rather than adding throughput (measured on 2 cores: one loop used ~20% less CPU per pgbench
     * transaction than two; docs/benchmarks.md). Odyssey's {@code workers "auto"} makes the same choice.
     */
    static int defaultEventLoops(int cores) {
        return Math.max(1, cores / 2);
    }

    public boolean metricsEnabled() {
        return metricsPort >= 0;
    }

    public boolean isAdmin(String user) {
        return adminUsers.contains(user);
    }

    public enum PoolMode {
        SESSION, TRANSACTION;

        public String configName() {
            return name().toLowerCase();
        }
    }

    public enum Auth {
        SCRAM_SHA_256("scram-sha-256"), MD5("md5"), TRUST("trust");

        private final String configName;

        Auth(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }
    }

    public boolean tls() {
        return tlsCert != null;
    }

    @Override
    public String toString() {
        return "ProxyConfig[" + listenHost + ":" + listenPort + ", pool-mode " + poolMode.configName() + ", auth "
                + auth.configName() + ", users " + users.keySet() + (tls() ? ", tls" : "")
                + (adminUsers.isEmpty() ? "" : ", admin-users " + adminUsers)
                + (metricsEnabled() ? ", metrics " + metricsHost + ":" + metricsPort : "") + "]";
    }
}
