package io.shardgate.it.proxy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A hand-rolled PostgreSQL client for what drivers will not do: broken messages, not reading replies. */
final class RawProtocol {
    private RawProtocol() {
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
