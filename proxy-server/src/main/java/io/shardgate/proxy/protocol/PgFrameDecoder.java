package io.shardgate.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Splits typed protocol messages (type byte, int32 length including itself, body) into {@link Frame}s, each a
 * retained slice of the input. The length is checked before anything is buffered for it: below 4 or above
 * {@code maxFrameSize} is a {@link ProtocolException}, and the rest of the input is discarded.
 *
 * <p>A {@link Passthrough} may take whole messages straight from the input instead: a reply forwarded as it is then
 * costs a copy into the client's output, not a frame object, a slice and a pipeline event per message.
 */
public final class PgFrameDecoder extends ByteToMessageDecoder {
    public static final int DEFAULT_MAX_FRAME = 64 * 1024 * 1024;
    private final int maxFrameSize;
    private boolean failed;
    private Passthrough passthrough;

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
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            if (failed) {
                in.skipBytes(in.readableBytes());
                return;
            }
            if (in.readableBytes() < 5) {
                return;
            }
            int at = in.readerIndex();
            byte type = in.getByte(at);
            int length = in.getInt(at + 1);
            if (length < 4 || length > maxFrameSize) {
                failed = true;
                in.skipBytes(in.readableBytes());
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
                continue;
            }
            // one frame per call: ByteToMessageDecoder hands it on before decoding further, so a passthrough's
            // decisions for the next messages see its effects (a reply's end moves the session on)
            out.add(new Frame(type, in.readRetainedSlice(1 + length)));
            return;
        }
    }

    static String printable(byte b) {
        return b >= 32 && b < 127 ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff);
    }
}
