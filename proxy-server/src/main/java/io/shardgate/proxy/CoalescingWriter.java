package io.shardgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.shardgate.proxy.protocol.PgMessage;

/**
 * Writes to one channel, copying small buffers into one pooled buffer that is written at {@link #flush()} (or when
 * it is full) instead of writing each. Forwarded reply frames are retained slices of the backend's inbound buffer;
 * written one by one, Netty's NIO write creates a {@code java.nio.ByteBuffer} view per slice for {@code writev}
 * (about 8% of the proxy's Java samples under pgbench -S). Copying a frame of a few hundred bytes costs less, and
 * the slice goes back to its pool at once. Frames larger than {@link #MAX_COPIED} are written as they are, after
 * what was collected before them, so the order of the bytes is kept.
 *
 * <p>Event loop only; not thread-safe. Owners call {@link #discard()} when the channel is closed.
 */
final class CoalescingWriter {
    /** Buffers up to this size are copied. */
    static final int MAX_COPIED = 1024;
    /** The collected buffer is written once it holds this much, so that writability (back-pressure) follows. */
    static final int WRITE_AT = 16 * 1024;

    private final Channel ch;
    private ByteBuf pending;
    /** Something was written to the channel since the last flush (a flush with nothing to send still costs). */
    private boolean unflushed;

    CoalescingWriter(Channel ch) {
        this.ch = ch;
    }

    /** Writes {@code buf} (ownership is taken: it is released here or by the channel). Not flushed. */
    void write(ByteBuf buf) {
        int n = buf.readableBytes();
        if (n > MAX_COPIED) {
            writePending();
            ch.write(buf, ch.voidPromise());
            unflushed = true;
            return;
        }
        try {
            if (pending == null) {
                pending = ch.alloc().ioBuffer(Math.max(512, n));
            }
            pending.writeBytes(buf, buf.readerIndex(), n);
        } finally {
            buf.release();
        }
        if (pending.readableBytes() >= WRITE_AT) {
            writePending();
        }
    }

    /** Encodes {@code m} straight into the collected buffer (no buffer of its own). Not flushed. */
    void write(PgMessage m) {
        if (pending == null) {
            pending = ch.alloc().ioBuffer(512);
        }
        int mark = pending.writerIndex();
        try {
            m.encode(pending);
        } catch (RuntimeException e) {
            pending.writerIndex(mark);
            throw e;
        }
        if (pending.readableBytes() >= WRITE_AT) {
            writePending();
        }
    }

    /** Writes what was collected, without flushing. */
    void writePending() {
        ByteBuf p = pending;
        if (p != null) {
            pending = null;
            ch.write(p, ch.voidPromise());
            unflushed = true;
        }
    }

    void flush() {
        writePending();
        if (unflushed) {
            unflushed = false;
            ch.flush();
        }
    }

    /** Releases what was collected and not written (the channel is closed). */
    void discard() {
        ByteBuf p = pending;
        if (p != null) {
            pending = null;
            p.release();
        }
    }
}
