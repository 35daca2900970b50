package io.shardgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ResourceLeakDetector;
import io.shardgate.proxy.protocol.Frame;
import io.shardgate.proxy.protocol.PgFrameDecoder;
import io.shardgate.proxy.protocol.PgMessage;
import io.shardgate.proxy.protocol.ProtocolException;
import io.shardgate.proxy.protocol.frontend.CancelRequest;
import io.shardgate.proxy.protocol.frontend.GSSENCRequest;
import io.shardgate.proxy.protocol.frontend.Query;
import io.shardgate.proxy.protocol.frontend.SSLRequest;
import io.shardgate.proxy.protocol.frontend.StartupMessage;
import io.shardgate.proxy.protocol.frontend.Sync;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The startup phase and the frame decoder on an EmbeddedChannel, with input split at every byte. */
class StartupHandlerTest {
    private EmbeddedChannel channel;

    @BeforeAll
    static void paranoid() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @AfterEach
    void finish() {
        if (channel != null) {
            assertFalse(channel.finishAndReleaseAll());
        }
    }

    private static ByteBuf encode(PgMessage... messages) {
        ByteBuf buf = Unpooled.buffer();
        for (PgMessage m : messages) {
            m.encode(buf);
        }
        return buf;
    }

    /** Feeds {@code input} one byte at a time. */
    private static void feedBytewise(EmbeddedChannel ch, ByteBuf input) {
        while (input.isReadable()) {
            ch.writeInbound(input.readRetainedSlice(1));
        }
        input.release();
    }

    @Test
    void sslAndGssRequestsAreRefusedThenStartupAndFramesFollow() {
        channel = new EmbeddedChannel(new StartupHandler(null, 1024));
        feedBytewise(channel, encode(SSLRequest.INSTANCE, GSSENCRequest.INSTANCE,
                StartupMessage.of(Map.of("user", "app", "database", "db")), new Query("select 1"), Sync.INSTANCE));
        ByteBuf n1 = channel.readOutbound();
        ByteBuf n2 = channel.readOutbound();
        assertEquals('N', n1.readByte());
        assertEquals('N', n2.readByte());
        n1.release();
        n2.release();
        StartupMessage startup = channel.readInbound();
        assertEquals("app", startup.user());
        assertEquals("db", startup.database());
        assertNull(channel.pipeline().get(StartupHandler.class), "the startup handler removed itself");
        assertTrue(channel.pipeline().get(PgFrameDecoder.class) != null);
        Frame q = channel.readInbound();
        assertEquals('Q', q.typeChar());
        assertEquals(new Query("select 1"), Query.decode(q.body()));
        q.release();
        Frame s = channel.readInbound();
        assertEquals('S', s.typeChar());
        s.release();
        assertNull(channel.readInbound());
    }

    @Test
    void startupAndFirstQueryInOneChunkReachTheFrameDecoder() {
        channel = new EmbeddedChannel(new StartupHandler(null, 1024));
        channel.writeInbound(encode(StartupMessage.of(Map.of("user", "u")), new Query("x"), Sync.INSTANCE));
        assertInstanceOf(StartupMessage.class, channel.readInbound());
        Frame q = channel.readInbound();
        assertEquals('Q', q.typeChar());
        q.release();
        Frame s = channel.readInbound();
        assertEquals('S', s.typeChar());
        s.release();
    }

    @Test
    void cancelRequestIsPassedOn() {
        channel = new EmbeddedChannel(new StartupHandler(null, 1024));
        feedBytewise(channel, encode(new CancelRequest(12, 34)));
        assertEquals(new CancelRequest(12, 34), channel.readInbound());
    }

    @Test
    void badStartupPacketsAreProtocolErrors() {
        channel = new EmbeddedChannel(new StartupHandler(null, 1024));
        DecoderException e = assertThrows(DecoderException.class,
                () -> channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 2})));
        assertInstanceOf(ProtocolException.class, e.getCause());
        channel.finishAndReleaseAll();
        channel = new EmbeddedChannel(new StartupHandler(null, 1024));
        e = assertThrows(DecoderException.class,
                () -> channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 8, 0, 2, 0, 0})));
        assertTrue(e.getCause().getMessage().contains("protocol 2.0"), e.getCause().getMessage());
        channel.finishAndReleaseAll();
        channel = null;
    }

    @Test
    void frameDecoderEnforcesItsLimits() {
        channel = new EmbeddedChannel(new PgFrameDecoder(100));
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'Q', 0, 0, 1, 0})));
        assertTrue(e.getMessage().contains("of 256 bytes is over proxy.max-message-size (100 bytes)"), e.getMessage());
        // after a violation the rest of the input is discarded, never decoded as frames
        channel.writeInbound(encode(Sync.INSTANCE));
        assertNull(channel.readInbound());
        channel.finishAndReleaseAll();
        channel = new EmbeddedChannel(new PgFrameDecoder(100));
        assertThrows(ProtocolException.class,
                () -> channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'Q', 0, 0, 0, 3})));
        channel.finishAndReleaseAll();
        channel = null;
    }

    @Test
    void framesSplitAnywhereComeOutWhole() {
        channel = new EmbeddedChannel(new PgFrameDecoder(1 << 20));
        ByteBuf in = encode(new Query("select 'a long enough query text'"), Sync.INSTANCE, new Query(""));
        feedBytewise(channel, in);
        for (char expected : new char[] {'Q', 'S', 'Q'}) {
            Frame f = channel.readInbound();
            assertEquals(expected, f.typeChar());
            f.release();
        }
        assertNull(channel.readInbound());
    }
}
