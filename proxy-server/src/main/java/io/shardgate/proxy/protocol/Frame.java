package io.shardgate.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One undecoded typed message as it came off the wire: {@code content()} is the whole frame (type byte, length,
 * body), a retained slice of the input, so forwarding it costs no copy. {@link #body()} is the part after the length.
 */
public final class Frame extends DefaultByteBufHolder {
    private final byte type;

    public Frame(byte type, ByteBuf whole) {
        super(whole);
        this.type = type;
    }

    public byte type() {
        return type;
    }

    public char typeChar() {
        return (char) (type & 0xff);
    }

    /** A read-only view of the body (not retained; valid while this frame is). */
    public ByteBuf body() {
        ByteBuf c = content();
        return c.slice(c.readerIndex() + 5, c.readableBytes() - 5);
    }

    @Override
    public Frame retain() {
        super.retain();
        return this;
    }

    @Override
    public Frame replace(ByteBuf content) {
        return new Frame(type, content);
    }

    @Override
    public String toString() {
        return "Frame['" + typeChar() + "', " + (content().readableBytes() - 5) + " bytes]";
    }
}
