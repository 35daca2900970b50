package io.shardgate.it.proxy;

import io.shardgate.config.ConfigLoader;
import io.shardgate.it.fixture.TestDatabases;
import io.shardgate.proxy.ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the proxy writes to a backend per client round trip, seen by a TCP relay between the proxy and shard 0's
 * primary: an extended-protocol cycle that arrives from the client in one packet (Bind, Describe, Execute, Sync as
 * pgjdbc sends them) leaves the proxy in one write, not one write (syscall, TCP segment, backend wake-up) per message.
 */
class ProxyBatchingIT {
    static ProxyServer proxy;
    static Relay relay;

    @BeforeAll
    static void start() throws Exception {
        TestDatabases db = TestDatabases.get();
        relay = new Relay(db.shard(0).primaryPort());
        String yaml = """
                databases:
                  s0-primary: { url: "jdbc:postgresql://127.0.0.1:%d/%s", user: postgres, password: "" }
                shards:
                  s0: { primary: s0-primary }
                default-shard: s0
                pool: { maximum-size: 1, connection-timeout: 5s }
                proxy:
                  listen: 127.0.0.1:0
                  pool-mode: transaction
                  auth: trust
                """.formatted(relay.port(), TestDatabases.SHARD_DB);
        proxy = new ProxyServer(ConfigLoader.load(db.writeConfig(yaml))).start();
    }

    @AfterAll
    static void stop() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void anExtendedCycleReachesTheBackendInOneWrite() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "app");
        p.setProperty("prepareThreshold", "1"); // named server-side statement from the first execution
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/app", p);
             PreparedStatement ps = c.prepareStatement("SELECT ?::int + 1")) {
            for (int i = 0; i < 5; i++) { // warm up: the statement gets prepared on the backend
                ps.setInt(1, i);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                }
            }
            int before = relay.chunksToServer.get();
            int n = 50;
            for (int i = 0; i < n; i++) {
                ps.setInt(1, i);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(i + 1, rs.getInt(1));
                }
            }
            int chunks = relay.chunksToServer.get() - before;
            // one read per cycle (Bind/Describe/Execute/Sync sent together); a few extra for anything else
            assertTrue(chunks >= n && chunks <= n + 5, chunks + " reads at the backend for " + n + " cycles");
        }
    }

    /** A TCP relay to 127.0.0.1:target that counts the reads (arrivals) in the proxy -> server direction. */
    static final class Relay implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        final AtomicInteger chunksToServer = new AtomicInteger();
        final int target;

        Relay(int target) throws IOException {
            this.target = target;
            Thread t = new Thread(this::accept, "relay-accept");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket in = server.accept();
                    Socket out = new Socket("127.0.0.1", target);
                    in.setTcpNoDelay(true);
                    out.setTcpNoDelay(true);
                    pump(in, out, true);
                    pump(out, in, false);
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void pump(Socket from, Socket to, boolean count) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[65536];
                try (InputStream is = from.getInputStream(); OutputStream os = to.getOutputStream()) {
                    int r;
                    while ((r = is.read(buf)) > 0) {
                        if (count) {
                            chunksToServer.incrementAndGet();
                        }
                        os.write(buf, 0, r);
                        os.flush();
                    }
                } catch (IOException e) {
                    // connection closed
                } finally {
                    try {
                        from.close();
                        to.close();
                    } catch (IOException ignored) {
                        // closing
                    }
                }
            }, "relay-pump");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
