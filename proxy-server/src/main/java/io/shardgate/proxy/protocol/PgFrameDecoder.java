package io.shardgate.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Splits typed protocol messages (type byte, int32 length including itself, body) into {@link Frame}s, each a
 * retained slice of the input. The length is checked before anything is buffered for it: below 4 or above
 * {@code maxFrameSize} is a {@link ProtocolException}, and the rest of the input is discarded.
 */
public final class PgFrameDecoder extends ByteToMessageDecoder {
    public static final int DEFAULT_MAX_FRAME = 64 * 1024 * 1024;
    private final int maxFrameSize;
    private boolean failed;

    public PgFrameDecoder(int maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
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
        out.add(new Frame(type, in.readRetainedSlice(1 + length)));
    }

    static String printable(byte b) {
        return b >= 32 && b < 127 ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff);
    }
}
