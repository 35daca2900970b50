package io.shardgate.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The frame decoder cuts the same messages, in the same order, however the bytes are split across reads: frames
 * handed on and passthrough messages interleaved as they came, nothing leaked, a bad length refused.
 */
class PgFrameDecoderTest {

    private static byte[] message(char type, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = Unpooled.buffer();
        buf.writeByte(type).writeInt(4 + b.length).writeBytes(b);
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        return out;
    }

    private static byte[] stream() {
        ByteBuf all = Unpooled.buffer();
        all.writeBytes(message('T', "row description"));
        for (int i = 0; i < 5; i++) {
            all.writeBytes(message('D', "row " + i + " " + "x".repeat(i * 37)));
        }
        all.writeBytes(message('C', "SELECT 5"));
        all.writeBytes(message('Z', "I"));
        all.writeBytes(message('1', ""));
        byte[] out = new byte[all.readableBytes()];
        all.readBytes(out);
        return out;
    }

    /** Decodes {@code bytes} fed in reads of the given sizes; returns "X:body" per message, passed ones as "=X:body". */
    private static List<String> decode(byte[] bytes, int[] cuts) {
        List<String> seen = new ArrayList<>();
        PgFrameDecoder decoder = new PgFrameDecoder(1024);
        decoder.passthrough(new PgFrameDecoder.Passthrough() {
            @Override
            public boolean passes(byte type) {
                return type == 'D';
            }

            @Override
            public void pass(ByteBuf in, int index, int length) {
                seen.add("=" + (char) in.getByte(index) + ":"
                        + in.toString(index + 5, length - 5, StandardCharsets.UTF_8));
            }
        });
        EmbeddedChannel ch = new EmbeddedChannel(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                Frame f = (Frame) msg;
                seen.add(f.typeChar() + ":" + f.body().toString(StandardCharsets.UTF_8));
                f.release();
            }
        });
        List<ByteBuf> fed = new ArrayList<>();
        int at = 0;
        for (int cut : cuts) {
            ByteBuf read = Unpooled.copiedBuffer(bytes, at, cut - at);
            fed.add(read);
            ch.writeInbound(read);
            at = cut;
        }
        for (ByteBuf b : fed) {
            assertEquals(0, b.refCnt(), "every read buffer released once its messages are out");
        }
        ch.finishAndReleaseAll();
        return seen;
    }

    @Test
    void everySplitPointGivesTheSameMessages() {
        byte[] bytes = stream();
        List<String> whole = decode(bytes, new int[] {bytes.length});
        assertEquals(9, whole.size());
        assertEquals("T:row description", whole.get(0));
        assertEquals("=D:row 0 ", whole.get(1));
        assertEquals("C:SELECT 5", whole.get(6));
        assertEquals("1:", whole.get(8));
        for (int a = 1; a < bytes.length; a++) {
            assertEquals(whole, decode(bytes, new int[] {a, bytes.length}), "split at " + a);
        }
        for (int a = 1; a < bytes.length; a += 7) {
            for (int b = a + 1; b < bytes.length; b += 3) {
                assertEquals(whole, decode(bytes, new int[] {a, b, bytes.length}), "split at " + a + ", " + b);
            }
        }
        int[] oneByteReads = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            oneByteReads[i] = i + 1;
        }
        assertEquals(whole, decode(bytes, oneByteReads));
    }

    @Test
    void aMessageLargerThanItsFirstBufferArrivesWhole() {
        String body = "y".repeat(200_000);
        byte[] bytes = message('D', body);
        PgFrameDecoder decoder = new PgFrameDecoder(1 << 20);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        for (int at = 0; at < bytes.length; at += 1000) {
            ch.writeInbound(Unpooled.copiedBuffer(bytes, at, Math.min(1000, bytes.length - at)));
        }
        Frame f = ch.readInbound();
        assertEquals(body, f.body().toString(StandardCharsets.UTF_8));
        f.release();
        assertNull(ch.readInbound());
        ch.finishAndReleaseAll();
    }

    @Test
    void aBadLengthIsRefusedAndTheRestDiscarded() {
        EmbeddedChannel ch = new EmbeddedChannel(new PgFrameDecoder(1024));
        ByteBuf bad = Unpooled.buffer().writeByte('Q').writeInt(5000).writeBytes(new byte[20]);
        ProtocolException e = assertThrows(ProtocolException.class, () -> ch.writeInbound(bad));
        assertTrue(e.getMessage().contains("message type 'Q' of 5000 bytes is over proxy.max-message-size (1024 bytes)"),
                e.getMessage());
        assertEquals(0, bad.refCnt());
        ByteBuf after = Unpooled.copiedBuffer(message('Q', "SELECT 1"));
        ch.writeInbound(after);
        assertNull(ch.readInbound(), "nothing is decoded after a bad length");
        assertEquals(0, after.refCnt());
        ch.finishAndReleaseAll();
    }
}
