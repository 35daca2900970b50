package io.shardgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Forwarded frames (retained slices of a backend's read buffer) are copied into one buffer per flush, in order;
 * large ones are written as they are; every slice is released.
 */
class CoalescingWriterTest {
    private static String text(ByteBuf b) {
        try {
            return b.toString(StandardCharsets.US_ASCII);
        } finally {
            b.release();
        }
    }

    @Test
    void smallSlicesLeaveAsOneBufferInOrderAndAreReleased() {
        EmbeddedChannel ch = new EmbeddedChannel();
        CoalescingWriter out = new CoalescingWriter(ch);
        ByteBuf inbound = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes("RowDataDone".getBytes());
        ByteBuf a = inbound.retainedSlice(0, 3);
        ByteBuf b = inbound.retainedSlice(3, 4);
        ByteBuf c = inbound.retainedSlice(7, 4);
        inbound.release();
        out.write(a);
        out.write(b);
        out.write(c);
        assertEquals(0, a.refCnt(), "copied slices go back to their pool at once");
        assertNull(ch.readOutbound(), "nothing written before the flush");
        out.flush();
        assertEquals("RowDataDone", text(ch.readOutbound()));
        assertNull(ch.readOutbound());
        ch.finishAndReleaseAll();
    }

    @Test
    void aLargeBufferIsWrittenAsItIsAfterWhatCameBefore() {
        EmbeddedChannel ch = new EmbeddedChannel();
        CoalescingWriter out = new CoalescingWriter(ch);
        String big = "x".repeat(CoalescingWriter.MAX_COPIED + 1);
        out.write(ch.alloc().buffer().writeBytes("a".getBytes()));
        out.write(ch.alloc().buffer().writeBytes(big.getBytes()));
        out.write(ch.alloc().buffer().writeBytes("b".getBytes()));
        out.flush();
        assertEquals("a", text(ch.readOutbound()));
        assertEquals(big, text(ch.readOutbound()));
        assertEquals("b", text(ch.readOutbound()));
        assertNull(ch.readOutbound());
        ch.finishAndReleaseAll();
    }

    @Test
    void aFullBufferIsWrittenBeforeTheFlushAndDiscardReleases() {
        EmbeddedChannel ch = new EmbeddedChannel();
        CoalescingWriter out = new CoalescingWriter(ch);
        int n = CoalescingWriter.WRITE_AT / 1000 + 1;
        for (int i = 0; i < n; i++) {
            out.write(ch.alloc().buffer().writeBytes(new byte[1000]));
        }
        assertTrue(ch.unsafe().outboundBuffer().totalPendingWriteBytes() >= n * 1000,
                "written (not flushed) once full, so that the channel's writability follows");
        ByteBuf last = ch.alloc().buffer().writeBytes(new byte[10]);
        out.write(last);
        out.discard();
        out.flush();
        ByteBuf written = ch.readOutbound();
        assertEquals(n * 1000, written.readableBytes(), "the discarded rest is not sent");
        written.release();
        assertNull(ch.readOutbound());
        ch.finishAndReleaseAll();
    }

    @Test
    void theBufferIsReusedOnlyOnceTheChannelHasLetItGo() {
        EmbeddedChannel ch = new EmbeddedChannel();
        CoalescingWriter out = new CoalescingWriter(ch);
        out.write(ch.alloc().buffer().writeBytes("a".getBytes()));
        out.flush();
        out.write(ch.alloc().buffer().writeBytes("b".getBytes()));
        out.flush();
        ByteBuf first = ch.readOutbound();
        ByteBuf second = ch.readOutbound();
        assertTrue(first != second, "the first was still queued when the second batch began");
        assertEquals("a", text(first));
        assertEquals("b", text(second));

        out.write(ch.alloc().buffer().writeBytes("c".getBytes()));
        out.flush();
        ByteBuf third = ch.readOutbound();
        assertSame(second, third, "sent and released by the channel: collects the next batch");
        assertEquals("c", text(third));
        out.discard();
        assertEquals(0, third.refCnt(), "discard lets the kept buffer go");
        ch.finishAndReleaseAll();
    }
}
