package io.shardgate.it.proxy;

import io.shardgate.it.fixture.TestDatabases;
import io.shardgate.proxy.ProxyServer;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.EOFException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Logged-in clients sending broken messages get 08P01 and lose only their own connection. */
class ProxyMalformedIT {

    /** Reads until an ErrorResponse and returns its text, then expects the connection to close. */
    private static String errorThenClose(DataInputStream in) throws Exception {
        String error = null;
        try {
            while (true) {
                int type = in.readByte();
                byte[] b = new byte[in.readInt() - 4];
                in.readFully(b);
                if (type == 'E') {
                    error = new String(b, StandardCharsets.UTF_8);
                }
            }
        } catch (EOFException | java.net.SocketException closed) {
            return error;
        }
    }

    @Test
    void brokenFramesGet08P01AndOthersKeepWorking() throws Exception {
        TestDatabases db = TestDatabases.get();
        try (ProxyServer proxy = RawProtocol.trustingProxy(db); Connection bystander = RawProtocol.connect(proxy)) {
            byte[][] broken = {
                    {'Q', 0, 0, 0, 2},                                  // length below 4
                    {'Q', 0x7f, 0, 0, 0},                               // length above the maximum
                    {'?', 0, 0, 0, 4},                                  // unknown message type
                    {'Q', 0, 0, 0, 8, 's', 'e', 'l', 'x'},              // query string without its NUL
                    {'B', 0, 0, 0, 8, 0, 0, 0, 5},                      // Bind cut short
            };
            for (byte[] frame : broken) {
                try (Socket s = new Socket("127.0.0.1", proxy.port())) {
                    s.setSoTimeout(5000);
                    DataInputStream in = RawProtocol.login(s);
                    s.getOutputStream().write(frame);
                    s.getOutputStream().flush();
                    String error = errorThenClose(in);
                    assertTrue(error != null && error.contains("08P01"), "for " + (char) frame[0] + ": " + error);
                }
                try (Statement st = bystander.createStatement(); ResultSet rs = st.executeQuery("SELECT 12")) {
                    rs.next();
                    assertEquals(12, rs.getInt(1));
                }
            }
        }
    }
}
