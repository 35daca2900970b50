package io.shardgate.it.proxy;

import io.shardgate.it.fixture.Role;
import io.shardgate.it.fixture.TestDatabases;
import io.shardgate.proxy.ProxyServer;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Large single-shard results go through the proxy as bytes (rows are not decoded): every row arrives, in the simple
 * and the extended protocol (with a fetch size: Execute with a row limit), and a client that stops reading holds the
 * backend back (the proxy stops reading it: PostgreSQL waits in ClientWrite) without the proxy stalling anyone else.
 */
class ProxyLargeResultIT {
    private static final int ROWS = 200_000;
    private static final String QUERY = "SELECT g, repeat('x', 100) AS pad FROM generate_series(1, " + ROWS + ") g";
    private static final long SUM = (long) ROWS * (ROWS + 1) / 2;

    @Test
    void aRowOverMaxMessageSizeSaysWhichLimitToRaise() throws Exception {
        TestDatabases db = TestDatabases.get();
        String yaml = db.postgresConfigYaml("", "default-shard: s0\n"
                + "proxy: { listen: 127.0.0.1:0, auth: trust, max-message-size: 1048576 }\n");
        try (ProxyServer proxy = new ProxyServer(io.shardgate.config.ConfigLoader.load(db.writeConfig(yaml))).start()) {
            try (Connection c = RawProtocol.connect(proxy); Statement st = c.createStatement()) {
                java.sql.SQLException e = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                        () -> st.executeQuery("SELECT repeat('x', 2000000)"));
                assertTrue(e.getMessage().contains("over proxy.max-message-size (1048576 bytes)")
                        && e.getMessage().contains("raise proxy.max-message-size"), e.getMessage());
            }
            try (Connection c = RawProtocol.connect(proxy); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT length(repeat('x', 500000))")) {
                assertTrue(rs.next());
                assertEquals(500000, rs.getInt(1), "the proxy goes on serving");
            }
        }
    }

    @Test
    void largeResultsArriveWholeAndASlowReaderHoldsTheBackendBack() throws Exception {
        TestDatabases db = TestDatabases.get();
        try (ProxyServer proxy = RawProtocol.trustingProxy(db); Connection c = RawProtocol.connect(proxy)) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(QUERY)) {
                assertRows(rs);
            }
            c.setAutoCommit(false); // pgjdbc fetches with a row limit only inside a transaction
            try (PreparedStatement ps = c.prepareStatement(QUERY)) {
                ps.setFetchSize(1000);
                try (ResultSet rs = ps.executeQuery()) {
                    assertRows(rs);
                }
            }
            c.commit();
            c.setAutoCommit(true);

            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(4096);
                s.connect(new InetSocketAddress("127.0.0.1", proxy.port()));
                s.setSoTimeout(30_000);
                DataInputStream in = RawProtocol.login(s);
                byte[] sql = (QUERY + " /* slow reader */").getBytes(StandardCharsets.UTF_8);
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.writeByte('Q');
                out.writeInt(4 + sql.length + 1);
                out.write(sql);
                out.writeByte(0);
                out.flush();

                // not reading: the proxy's socket buffers fill, it stops reading the backend, and the backend blocks
                assertEquals("ClientWrite", waitEventOfSlowQuery(db), "the backend waits for the proxy to read");
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 41 + 1")) {
                    rs.next();
                    assertEquals(42, rs.getInt(1), "others are served meanwhile");
                }

                long rows = 0;
                long sum = 0;
                String tag = null;
                while (true) {
                    int type = in.readByte();
                    byte[] body = new byte[in.readInt() - 4];
                    in.readFully(body);
                    if (type == 'D') {
                        rows++;
                        int len = ((body[2] & 0xff) << 24) | ((body[3] & 0xff) << 16) | ((body[4] & 0xff) << 8)
                                | (body[5] & 0xff);
                        sum += Long.parseLong(new String(body, 6, len, StandardCharsets.US_ASCII));
                    } else if (type == 'C') {
                        tag = new String(body, 0, body.length - 1, StandardCharsets.UTF_8);
                    } else if (type == 'E') {
                        throw new AssertionError("error: " + new String(body, StandardCharsets.UTF_8));
                    } else if (type == 'Z') {
                        break;
                    }
                }
                assertEquals(ROWS, rows);
                assertEquals(SUM, sum);
                assertEquals("SELECT " + ROWS, tag);
            }
        }
    }

    private static void assertRows(ResultSet rs) throws Exception {
        long rows = 0;
        long sum = 0;
        while (rs.next()) {
            rows++;
            sum += rs.getLong(1);
            assertEquals(100, rs.getString(2).length());
        }
        assertEquals(ROWS, rows);
        assertEquals(SUM, sum);
    }

    /**
     * The wait event of the slow reader's query on shard s0 (on whichever of its servers the read went to), once it
     * has one that persists for a moment.
     */
    private static String waitEventOfSlowQuery(TestDatabases db) throws Exception {
        String seen = null;
        try (Connection primary = db.connectShard(0, Role.PRIMARY);
             Connection replica = db.connectShard(0, Role.REPLICA)) {
            for (int i = 0; i < 100; i++) {
                String now = null;
                for (Connection server : new Connection[] {primary, replica}) {
                    try (Statement st = server.createStatement();
                         ResultSet rs = st.executeQuery("SELECT coalesce(wait_event, 'none') FROM pg_stat_activity "
                                 + "WHERE query LIKE '%/* slow reader */' AND pid <> pg_backend_pid()")) {
                        if (rs.next()) {
                            now = rs.getString(1);
                        }
                    }
                }
                if ("ClientWrite".equals(now) && "ClientWrite".equals(seen)) {
                    return now;
                }
                seen = now;
                Thread.sleep(100);
            }
        }
        return seen;
    }
}
