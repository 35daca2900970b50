package io.shardgate.it.proxy;

import io.shardgate.config.ConfigLoader;
import io.shardgate.it.fixture.TestDatabases;
import io.shardgate.proxy.ProxyServer;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;

/** A hand-rolled PostgreSQL client for what drivers will not do: broken messages, not reading replies. */
final class RawProtocol {
    private RawProtocol() {
    }

    /** A proxy on a free port in front of the fixture's shards, default shard s0, clients trusted. */
    static ProxyServer trustingProxy(TestDatabases db) throws Exception {
        String yaml = db.postgresConfigYaml("", "default-shard: s0\nproxy: { listen: 127.0.0.1:0, auth: trust }\n");
        return new ProxyServer(ConfigLoader.load(db.writeConfig(yaml))).start();
    }

    /** A pgjdbc connection through {@code proxy} as {@code app}. */
    static Connection connect(ProxyServer proxy) throws java.sql.SQLException {
        return connect(proxy, new java.util.Properties());
    }

    /** The same with pgjdbc properties of the test's own (prepareThreshold, preferQueryMode...). */
    static Connection connect(ProxyServer proxy, java.util.Properties extra) throws java.sql.SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", "app");
        p.putAll(extra);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/app", p);
    }

    /** Logs in as {@code app} to database {@code app} (trust) and returns the stream after ReadyForQuery. */
    static DataInputStream login(Socket s) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream b = new DataOutputStream(body);
        b.writeInt(196608);
        for (String kv : new String[] {"user", "app", "database", "app"}) {
            b.write(kv.getBytes(StandardCharsets.UTF_8));
            b.write(0);
        }
        b.write(0);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeInt(body.size() + 4);
        out.write(body.toByteArray());
        out.flush();
        DataInputStream in = new DataInputStream(s.getInputStream());
        while (true) { // AuthenticationOk, ParameterStatus..., BackendKeyData, ReadyForQuery
            int type = in.readByte();
            in.skipBytes(in.readInt() - 4);
            if (type == 'Z') {
                return in;
            }
        }
    }

    /**
     * Extended-protocol messages gathered into one buffer: {@link #sendTo} writes them all at once, so the proxy
     * gets a whole pipeline before it has answered any of it (what libpq's pipeline mode or postgres.js do).
     */
    static final class Pipeline {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        /** Parse of {@code sql} as {@code statement} ("" for the unnamed one), parameter types left to the server. */
        Pipeline parse(String statement, String sql) {
            return add('P', new MessageBody().string(statement).string(sql).int16(0));
        }

        /** Bind of {@code statement} to {@code portal}, parameters and results in text. */
        Pipeline bind(String portal, String statement, String... textParameters) {
            MessageBody b = new MessageBody().string(portal).string(statement).int16(0).int16(textParameters.length);
            for (String p : textParameters) {
                byte[] value = p.getBytes(StandardCharsets.UTF_8);
                b.int32(value.length).bytes(value);
            }
            return add('B', b.int16(0));
        }

        Pipeline describeStatement(String statement) {
            return add('D', new MessageBody().byte1('S').string(statement));
        }

        /** Execute of {@code portal} with no row limit. */
        Pipeline execute(String portal) {
            return add('E', new MessageBody().string(portal).int32(0));
        }

        Pipeline sync() {
            return add('S', new MessageBody());
        }

        Pipeline flush() {
            return add('H', new MessageBody());
        }

        /** A simple-protocol Query. */
        Pipeline query(String sql) {
            return add('Q', new MessageBody().string(sql));
        }

        /** One CopyData message holding {@code data} as UTF-8. */
        Pipeline copyData(String data) {
            return add('d', new MessageBody().bytes(data.getBytes(StandardCharsets.UTF_8)));
        }

        Pipeline copyDone() {
            return add('c', new MessageBody());
        }

        /** Writes everything gathered in one write and flush. */
        void sendTo(Socket s) throws Exception {
            s.getOutputStream().write(bytes.toByteArray());
            s.getOutputStream().flush();
        }

        private Pipeline add(char type, MessageBody body) {
            byte[] b = body.out.toByteArray();
            bytes.write(type);
            bytes.writeBytes(ByteBuffer.allocate(4).putInt(b.length + 4).array());
            bytes.writeBytes(b);
            return this;
        }
    }

    private static final class MessageBody {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        MessageBody byte1(char c) {
            out.write(c);
            return this;
        }

        MessageBody int16(int v) {
            out.writeBytes(ByteBuffer.allocate(2).putShort((short) v).array());
            return this;
        }

        MessageBody int32(int v) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(v).array());
            return this;
        }

        MessageBody string(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            out.write(0);
            return this;
        }

        MessageBody bytes(byte[] b) {
            out.writeBytes(b);
            return this;
        }
    }

    /** One backend message as the client got it. */
    record Message(char type, byte[] body) {
        /** Column {@code i} of a DataRow, as text (null for SQL NULL). */
        String column(int i) {
            ByteBuffer b = ByteBuffer.wrap(body);
            int columns = b.getShort();
            if (i >= columns) {
                throw new IllegalArgumentException("column " + i + " of a row of " + columns);
            }
            for (int c = 0; ; c++) {
                int length = b.getInt();
                if (c == i) {
                    return length < 0 ? null : new String(body, b.position(), length, StandardCharsets.UTF_8);
                }
                b.position(b.position() + Math.max(length, 0));
            }
        }

        /** The tag of a CommandComplete. */
        String tag() {
            return new String(body, 0, body.length - 1, StandardCharsets.UTF_8);
        }

        /** The parameter type OIDs of a ParameterDescription. */
        List<Integer> parameterTypes() {
            ByteBuffer b = ByteBuffer.wrap(body);
            List<Integer> oids = new ArrayList<>();
            for (int n = b.getShort(); n > 0; n--) {
                oids.add(b.getInt());
            }
            return oids;
        }
    }

    /**
     * Reads messages until the {@code count}-th one of {@code type}. When the socket's read timeout passes first,
     * fails with what did come, so a proxy that never answers fails the test instead of hanging it.
     */
    static List<Message> readUntil(Socket s, DataInputStream in, char type, int count) throws Exception {
        List<Message> got = new ArrayList<>();
        int seen = 0;
        while (seen < count) {
            try {
                char t = (char) in.readByte();
                byte[] body = new byte[in.readInt() - 4];
                in.readFully(body);
                got.add(new Message(t, body));
                if (t == type) {
                    seen++;
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("waited " + s.getSoTimeout() + " ms for " + type + " #" + (seen + 1)
                        + " after \"" + types(got) + "\"", e);
            }
        }
        return got;
    }

    /** The messages' type letters in order, e.g. "12DCZ". */
    static String types(List<Message> messages) {
        StringBuilder b = new StringBuilder(messages.size());
        for (Message m : messages) {
            b.append(m.type());
        }
        return b.toString();
    }
}
