package io.shardgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Reads every socket of an event loop into one buffer that the loop keeps, instead of a pooled buffer taken and
 * given back per read. The frame decoder is done with a read's bytes when its channelRead returns (messages are
 * copied out, or handed on as retained slices, and the start of a split message is copied aside), so the next read
 * on the loop can reuse the buffer; while anything still holds a reference to it, a read gets a fresh pooled
 * buffer as before. Taking and returning a pooled buffer was about a tenth of the proxy's Java time per statement.
 *
 * <p>How many reads per wake-up and when to stop reading stay Netty's (an {@link
 * io.netty.channel.AdaptiveRecvByteBufAllocator}'s handle); only the buffer differs, always {@link #SIZE} bytes.
 */
public final class LoopReadBuffer implements RecvByteBufAllocator {
    public static final LoopReadBuffer INSTANCE = new LoopReadBuffer();
    /** Netty's largest adaptive read. */
    static final int SIZE = 64 * 1024;

    /** The loop's buffer, holding one reference of its own. */
    private static final FastThreadLocal<ByteBuf> LOOP_BUFFER = new FastThreadLocal<>() {
        @Override
        protected void onRemoval(ByteBuf buf) {
            buf.release();
        }
    };

    private final RecvByteBufAllocator sizes = new io.netty.channel.AdaptiveRecvByteBufAllocator(
            SIZE, SIZE, SIZE);

    private LoopReadBuffer() {
    }

    @Override
    public Handle newHandle() {
        return new ReusingHandle((ExtendedHandle) sizes.newHandle());
    }

    /** The buffer for the next read: the loop's own when nothing else holds it, else a pooled one. */
    static ByteBuf next(ByteBufAllocator alloc) {
        ByteBuf buf = LOOP_BUFFER.get();
        if (buf == null || buf.refCnt() != 1) {
            if (buf != null) {
                buf.release(); // still held elsewhere: it goes back to the pool when they let go
            }
            buf = alloc.ioBuffer(SIZE);
            LOOP_BUFFER.set(buf);
        }
        return buf.retain().clear();
    }

    private static final class ReusingHandle implements ExtendedHandle {
        private final ExtendedHandle delegate;

        ReusingHandle(ExtendedHandle delegate) {
            this.delegate = delegate;
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            return next(alloc);
        }

        @Override
        public int guess() {
            return SIZE;
        }

        @Override
        public void reset(ChannelConfig config) {
            delegate.reset(config);
        }

        @Override
        public void incMessagesRead(int numMessages) {
            delegate.incMessagesRead(numMessages);
        }

        @Override
        public void lastBytesRead(int bytes) {
            delegate.lastBytesRead(bytes);
        }

        @Override
        public int lastBytesRead() {
            return delegate.lastBytesRead();
        }

        @Override
        public void attemptedBytesRead(int bytes) {
            delegate.attemptedBytesRead(bytes);
        }

        @Override
        public int attemptedBytesRead() {
            return delegate.attemptedBytesRead();
        }

        @Override
        public boolean continueReading() {
            return delegate.continueReading();
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return delegate.continueReading(maybeMoreDataSupplier);
        }

        @Override
        public void readComplete() {
            delegate.readComplete();
        }
    }
}
