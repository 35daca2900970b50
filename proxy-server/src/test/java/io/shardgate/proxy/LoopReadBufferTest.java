package io.shardgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A loop's read buffer is reused only once nothing but the loop holds it; a buffer still held is never written. */
class LoopReadBufferTest {

    @Test
    void theBufferIsReusedOnlyWhenNobodyElseHoldsIt() throws Exception {
        // a FastThreadLocalThread, as Netty's event loops are
        ExecutorService loop = Executors.newSingleThreadExecutor(new DefaultThreadFactory("loop-read-buffer-test"));
        try {
            loop.submit(() -> {
                PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
                ByteBuf first = LoopReadBuffer.next(alloc);
                assertEquals(LoopReadBuffer.SIZE, first.writableBytes());
                first.writeBytes(new byte[] {1, 2, 3});
                first.release(); // the decoder is done with the read
                ByteBuf second = LoopReadBuffer.next(alloc);
                assertSame(first, second, "released by the pipeline: the loop reads into it again");
                assertEquals(0, second.readableBytes(), "and it starts empty");

                second.writeBytes(new byte[] {4, 5, 6});
                ByteBuf held = second.retainedSlice(0, 3); // a frame handed on and queued, still to be read
                second.release();
                ByteBuf third = LoopReadBuffer.next(alloc);
                assertNotSame(second, third, "a buffer a frame still holds is not read into");
                assertEquals(4, held.getByte(0), "the held bytes stay as they were");
                held.release();
                assertEquals(0, second.refCnt(), "the old buffer goes back to the pool once the frame lets go");
                third.release();
                assertSame(third, LoopReadBuffer.next(alloc), "the new buffer is the loop's from now on");
                return null;
            }).get();
        } finally {
            loop.shutdownNow();
        }
    }
}
