package io.shardgate.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Splits typed protocol messages (type byte, int32 length including itself, body) into {@link Frame}s, each a
 * retained slice of the input, handed on one by one as they are cut. The length is checked before anything is
 * buffered for it: below 4 or above {@code maxFrameSize} is a {@link ProtocolException}, and the rest of the input is
 * discarded.
 *
 * <p>A {@link Passthrough} may take whole messages straight from the input instead: a reply forwarded as it is then
 * costs a copy into the client's output, not a frame object, a slice and a pipeline event per message.
 *
 * <p>Not a ByteToMessageDecoder: nearly every read holds whole messages, so the input buffer is cut directly, and
 * only the tail of a message split across reads is copied aside (into a buffer sized for the whole message). Nor does
 * it ask for a read after a read that completed nothing: whoever turns auto-read off turns it on again, and a read
 * requested while it is off would defeat the back-pressure of a session whose client is slow.
 */
public final class PgFrameDecoder extends ChannelInboundHandlerAdapter {
    public static final int DEFAULT_MAX_FRAME = 64 * 1024 * 1024;
    private static final int INITIAL_PARTIAL = 64 * 1024;
    private final int maxFrameSize;
    private boolean failed;
    private Passthrough passthrough;
    /** The start of a message split across reads; null when the last read ended on a message boundary. */
    private ByteBuf partial;

    /** Takes the messages it accepts as bytes of the input, in order with the frames of the others. */
    public interface Passthrough {
        /** Whether the next message, of {@code type}, goes to {@link #pass} rather than out as a {@link Frame}. */
        boolean passes(byte type);

        /** The whole message at {@code in[index, index + length)}; valid during the call only. */
        void pass(ByteBuf in, int index, int length);
    }

    public PgFrameDecoder(int maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    public void passthrough(Passthrough p) {
        this.passthrough = p;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf data)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (failed) {
            data.release();
            return;
        }
        ByteBuf in = partial == null ? data : append(ctx, data);
        partial = null;
        try {
            cut(ctx, in);
        } finally {
            if (!in.isReadable()) {
                in.release();
            } else if (ctx.isRemoved()) {
                ctx.fireChannelRead(in); // whoever comes next takes the rest
            } else {
                partial = in == data ? keep(ctx, data) : in;
            }
        }
    }

    private void cut(ChannelHandlerContext ctx, ByteBuf in) {
        while (in.readableBytes() >= 5) {
            int at = in.readerIndex();
            byte type = in.getByte(at);
            int length = in.getInt(at + 1);
            if (length < 4 || length > maxFrameSize) {
                failed = true;
                in.skipBytes(in.readableBytes());
                if (length > maxFrameSize) {
                    throw new ProtocolException("message type '" + printable(type) + "' of " + length
                            + " bytes is over proxy.max-message-size (" + maxFrameSize + " bytes); raise "
                            + "proxy.max-message-size in the configuration to pass it");
                }
                throw new ProtocolException("invalid length " + length + " of message type '" + printable(type)
                        + "' (expected: 4 <= length <= " + maxFrameSize + ")");
            }
            if (in.readableBytes() < 1 + length) {
                return;
            }
            Passthrough p = passthrough;
            if (p != null && p.passes(type)) {
                in.skipBytes(1 + length); // first: what pass() does cannot see the message twice
                p.pass(in, at, 1 + length);
            } else {
                // handed on before the next message is looked at, so a passthrough's decisions about the next
                // messages see its effects (a reply's end moves the session on)
                ctx.fireChannelRead(new Frame(type, in.readRetainedSlice(1 + length)));
            }
            if (failed || ctx.isRemoved()) {
                return;
            }
        }
    }

    /**
     * The unread rest of the read buffer {@code in} (a message's start) copied into a buffer of its own, with room
     * for the whole message up to {@link #INITIAL_PARTIAL} (a length is only a claim until the bytes arrive).
     */
    private static ByteBuf keep(ChannelHandlerContext ctx, ByteBuf in) {
        int rest = in.readableBytes();
        int whole = rest >= 5 ? 1 + in.getInt(in.readerIndex() + 1) : rest;
        ByteBuf kept = ctx.alloc().buffer(Math.max(rest, Math.min(whole, INITIAL_PARTIAL)));
        kept.writeBytes(in);
        in.release();
        return kept;
    }

    /** {@code data} after the kept start of a message. Takes ownership of {@code data}. */
    private ByteBuf append(ChannelHandlerContext ctx, ByteBuf data) {
        ByteBuf p = partial;
        try {
            if (p.refCnt() == 1) {
                p.discardSomeReadBytes();
                return p.writeBytes(data); // grows by doubling when it must
            }
            // frames cut from it are still out: growing it must not move the memory under them
            int needed = p.readableBytes() + data.readableBytes();
            ByteBuf bigger = ctx.alloc().buffer(Math.max(needed, 2 * p.readableBytes()));
            bigger.writeBytes(p).writeBytes(data);
            p.release();
            return bigger;
        } finally {
            data.release();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        discardPartial();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        discardPartial();
        ctx.fireChannelInactive();
    }

    private void discardPartial() {
        if (partial != null) {
            partial.release();
            partial = null;
        }
    }

    static String printable(byte b) {
        return b >= 32 && b < 127 ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff);
    }
}
