package io.shardgate.it.proxy;

import io.shardgate.config.ConfigLoader;
import io.shardgate.it.fixture.TestDatabases;
import io.shardgate.proxy.ProxyServer;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;

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
    static Connection connect(ProxyServer proxy) throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/app?user=app");
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
}
