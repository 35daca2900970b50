package io.shardgate.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.shardgate.proxy.protocol.frontend.Bind;
import io.shardgate.proxy.protocol.frontend.CancelRequest;
import io.shardgate.proxy.protocol.frontend.Close;
import io.shardgate.proxy.protocol.frontend.CopyData;
import io.shardgate.proxy.protocol.frontend.CopyDone;
import io.shardgate.proxy.protocol.frontend.CopyFail;
import io.shardgate.proxy.protocol.frontend.Describe;
import io.shardgate.proxy.protocol.frontend.Execute;
import io.shardgate.proxy.protocol.frontend.Flush;
import io.shardgate.proxy.protocol.frontend.GSSENCRequest;
import io.shardgate.proxy.protocol.frontend.Parse;
import io.shardgate.proxy.protocol.frontend.PasswordMessage;
import io.shardgate.proxy.protocol.frontend.Query;
import io.shardgate.proxy.protocol.frontend.SASLInitialResponse;
import io.shardgate.proxy.protocol.frontend.SASLResponse;
import io.shardgate.proxy.protocol.frontend.SSLRequest;
import io.shardgate.proxy.protocol.frontend.StartupMessage;
import io.shardgate.proxy.protocol.frontend.Sync;
import io.shardgate.proxy.protocol.frontend.Terminate;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Exact bytes of every frontend message, decode(encode(m)) == m, and encoding at a non-zero writer index. */
class FrontendMessagesTest {

    static byte[] bytes(PgMessage m) {
        ByteBuf buf = Unpooled.buffer();
        buf.writeBytes(new byte[] {9, 9, 9}); // encode must not assume writerIndex 0
        m.encode(buf);
        buf.skipBytes(3);
        byte[] b = ByteBufUtil.getBytes(buf);
        buf.release();
        return b;
    }

    static byte[] hex(String s) {
        return ByteBufUtil.decodeHexDump(s.replace(" ", ""));
    }

    /** Encodes, checks the type byte and length, and decodes the body back. */
    static <T> T roundTrip(PgMessage m, Function<ByteBuf, T> decoder) {
        byte[] b = bytes(m);
        assertEquals(b.length - 1, ((b[1] & 0xff) << 24) | ((b[2] & 0xff) << 16) | ((b[3] & 0xff) << 8) | (b[4] & 0xff));
        ByteBuf body = Unpooled.wrappedBuffer(b, 5, b.length - 5);
        return decoder.apply(body);
    }

    @Test
    void query() {
        assertArrayEquals(hex("51 0000000d 73656c6563742031 00"), bytes(new Query("select 1")));
        assertEquals(new Query("SELECT 'é'"), roundTrip(new Query("SELECT 'é'"), Query::decode));
        assertThrows(NullPointerException.class, () -> new Query(null));
    }

    @Test
    void parse() {
        Parse p = new Parse("s1", "select $1", List.of(20));
        assertArrayEquals(hex("50 00000017 733100 73656c65637420243100 0001 00000014"), bytes(p));
        assertEquals(p, roundTrip(p, Parse::decode));
        assertThrows(ProtocolException.class, () -> Parse.decode(Unpooled.wrappedBuffer(hex("00 7800 0002 00000014"))));
    }

    @Test
    void bind() {
        Bind b = new Bind("", "s1", new short[] {1}, new byte[][] {{0, 0, 0, 0, 0, 0, 0, 42}, null},
                new short[] {0});
        assertArrayEquals(hex("42 00000022 00 733100 0001 0001 0002 00000008 000000000000002a ffffffff 0001 0000"),
                bytes(b));
        Bind back = roundTrip(b, Bind::decode);
        assertEquals(b, back);
        assertEquals(1, back.parameterFormat(1));
        assertEquals(0, back.resultFormat(5));
        assertThrows(ProtocolException.class, () -> Bind.decode(Unpooled.wrappedBuffer(hex("00 00 0000 0001 0000007f"))));
        assertThrows(ProtocolException.class, () -> Bind.decode(Unpooled.wrappedBuffer(hex("00 00 0001 0005 0000 0000"))));
    }

    @Test
    void describeExecuteClose() {
        assertArrayEquals(hex("44 00000008 50 706f00"), bytes(new Describe('P', "po")));
        assertArrayEquals(hex("45 00000009 00 00000064"), bytes(new Execute("", 100)));
        assertArrayEquals(hex("43 00000008 53 733100"), bytes(new Close('S', "s1")));
        assertEquals(new Describe('S', "x"), roundTrip(new Describe('S', "x"), Describe::decode));
        assertEquals(new Execute("p", 0), roundTrip(new Execute("p", 0), Execute::decode));
        assertEquals(new Close('P', ""), roundTrip(new Close('P', ""), Close::decode));
        assertThrows(ProtocolException.class, () -> new Describe('X', "x"));
    }

    @Test
    void fieldlessMessagesAreSingletons() {
        assertArrayEquals(hex("53 00000004"), bytes(Sync.INSTANCE));
        assertArrayEquals(hex("48 00000004"), bytes(Flush.INSTANCE));
        assertArrayEquals(hex("58 00000004"), bytes(Terminate.INSTANCE));
        assertArrayEquals(hex("63 00000004"), bytes(CopyDone.INSTANCE));
    }

    @Test
    void copyMessages() {
        assertArrayEquals(hex("64 00000007 610a62"), bytes(new CopyData("a\nb".getBytes(StandardCharsets.UTF_8))));
        assertEquals(new CopyFail("stop"), roundTrip(new CopyFail("stop"), CopyFail::decode));
        assertEquals(new CopyData(new byte[] {1, 2}), roundTrip(new CopyData(new byte[] {1, 2}), CopyData::decode));
    }

    @Test
    void passwordAndSasl() {
        assertArrayEquals(hex("70 00000008 61626300"), bytes(new PasswordMessage("abc")));
        SASLInitialResponse init = new SASLInitialResponse("SCRAM-SHA-256", "n,,n=,r=x".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(hex("70 0000001f 534352414d2d5348412d32353600 00000009 6e2c2c6e3d2c723d78"), bytes(init));
        assertEquals(init, roundTrip(init, SASLInitialResponse::decode));
        SASLResponse r = new SASLResponse("c=biws".getBytes(StandardCharsets.UTF_8));
        assertEquals(r, roundTrip(r, SASLResponse::decode));
    }

    @Test
    void untypedStartupPackets() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("user", "app");
        params.put("database", "db");
        StartupMessage m = StartupMessage.of(params);
        byte[] b = bytes(m);
        assertArrayEquals(hex("0000001e 00030000 7573657200 61707000 646174616261736500 646200 00"), b);
        StartupMessage back = StartupMessage.decode(Unpooled.wrappedBuffer(b, 4, b.length - 4));
        assertEquals(m, back);
        assertEquals("db", back.database());
        assertArrayEquals(hex("00000008 04d2162f"), bytes(SSLRequest.INSTANCE));
        assertArrayEquals(hex("00000008 04d21630"), bytes(GSSENCRequest.INSTANCE));
        assertArrayEquals(hex("00000010 04d2162e 00000007 00000009"), bytes(new CancelRequest(7, 9)));
        assertThrows(ProtocolException.class,
                () -> StartupMessage.decode(Unpooled.wrappedBuffer(hex("00030000 7573657200 61707000"))));
    }
}
