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
 * <p>The collected buffer is reused: it is written retained, and once the channel has sent it and let it go (almost
 * always within the same flush) it collects the next batch, instead of a buffer being taken from and given back to
 * the pool per flush (about 3% of the proxy's samples under pgbench -S, in the allocator's thread cache and object
 * recycler). Only small buffers are kept, so an idle connection holds at most {@link #KEPT} bytes.
 *
 * <p>Event loop only; not thread-safe. Owners call {@link #discard()} when the channel is closed.
 */
public final class CoalescingWriter {
    /** Buffers up to this size are copied. */
    static final int MAX_COPIED = 1024;
    /** The collected buffer is written once it holds this much, so that writability (back-pressure) follows. */
    static final int WRITE_AT = 16 * 1024;
    /** Collected buffers up to this capacity are kept for the next batch. */
    static final int KEPT = 2048;

    private final Channel ch;
    private ByteBuf pending;
    /** The last buffer written, retained: reused once the channel is done with it. */
    private ByteBuf written;
    /** Something was written to the channel since the last flush (a flush with nothing to send still costs). */
    private boolean unflushed;

    public CoalescingWriter(Channel ch) {
        this.ch = ch;
    }

    /** Writes {@code buf} (ownership is taken: it is released here or by the channel). Not flushed. */
    public void write(ByteBuf buf) {
        int n = buf.readableBytes();
        if (n > MAX_COPIED) {
            writePending();
            ch.write(buf, ch.voidPromise());
            unflushed = true;
            return;
        }
        try {
            if (pending == null) {
                pending = collector(n);
            }
            pending.writeBytes(buf, buf.readerIndex(), n);
        } finally {
            buf.release();
        }
        if (pending.readableBytes() >= WRITE_AT) {
            writePending();
        }
    }

    /** Writes {@code in[index, index + length)} (not taken over: copied, or sliced and retained when large). */
    public void write(ByteBuf in, int index, int length) {
        if (length > MAX_COPIED) {
            write(in.retainedSlice(index, length));
            return;
        }
        if (pending == null) {
            pending = collector(length);
        }
        pending.writeBytes(in, index, length);
        if (pending.readableBytes() >= WRITE_AT) {
            writePending();
        }
    }

    /** Encodes {@code m} straight into the collected buffer (no buffer of its own). Not flushed. */
    public void write(PgMessage m) {
        if (pending == null) {
            pending = collector(0);
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

    /** An empty buffer to collect at least {@code n} bytes in: the last one written if the channel let it go. */
    private ByteBuf collector(int n) {
        ByteBuf w = written;
        if (w != null) {
            written = null;
            if (w.refCnt() == 1 && w.capacity() >= n) {
                return w.clear();
            }
            w.release();
        }
        return ch.alloc().ioBuffer(Math.max(512, n));
    }

    /** Writes what was collected, without flushing. */
    public void writePending() {
        ByteBuf p = takePending();
        if (p != null) {
            ch.write(p, ch.voidPromise());
            unflushed = true;
        }
    }

    public void flush() {
        ByteBuf p = takePending();
        if (p != null) {
            unflushed = false;
            ch.writeAndFlush(p, ch.voidPromise()); // one trip down the pipeline instead of a write and a flush
        } else if (unflushed) {
            unflushed = false;
            ch.flush();
        }
    }

    /** What was collected, to be written now (kept retained for reuse when small); null when nothing was. */
    private ByteBuf takePending() {
        ByteBuf p = pending;
        if (p != null) {
            pending = null;
            if (p.capacity() <= KEPT) {
                if (written != null) {
                    written.release();
                }
                written = p.retain();
            }
        }
        return p;
    }

    /** Releases what was collected and not written, and the buffer kept for reuse (the channel is closed). */
    public void discard() {
        ByteBuf p = pending;
        if (p != null) {
            pending = null;
            p.release();
        }
        ByteBuf w = written;
        if (w != null) {
            written = null;
            w.release();
        }
    }
}
