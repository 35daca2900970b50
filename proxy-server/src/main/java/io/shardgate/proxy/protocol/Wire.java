package io.shardgate.proxy.protocol;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/** Helpers shared by every message: C strings, and the type byte + length prefix of a frame. */
public final class Wire {
    private Wire() {
    }

    /** Reads a NUL-terminated UTF-8 string; a missing terminator is a protocol violation. */
    public static String readCString(ByteBuf in) {
        int end = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) 0);
        if (end < 0) {
            throw new ProtocolException("string without terminating NUL");
        }
        String s = in.toString(in.readerIndex(), end - in.readerIndex(), StandardCharsets.UTF_8);
        in.readerIndex(end + 1);
        return s;
    }

    public static void writeCString(ByteBuf out, String s) {
        out.writeCharSequence(s, StandardCharsets.UTF_8);
        out.writeByte(0);
    }

    /** Writes the type byte and a length placeholder; returns the index of the length field. */
    public static int begin(ByteBuf out, char type) {
        out.writeByte(type);
        int at = out.writerIndex();
        out.writeInt(0);
        return at;
    }

    /** Writes a length placeholder only (untyped startup-phase packets); returns its index. */
    public static int beginUntyped(ByteBuf out) {
        int at = out.writerIndex();
        out.writeInt(0);
        return at;
    }

    /** Fills in the length field at {@code at}: the bytes from it to the writer index. */
    public static void end(ByteBuf out, int at) {
        out.setInt(at, out.writerIndex() - at);
    }

    /** Reads an int32-length-prefixed byte array; -1 is null. */
    public static byte[] readLengthPrefixed(ByteBuf in) {
        int len = in.readInt();
        if (len == -1) {
            return null;
        }
        if (len < 0 || len > in.readableBytes()) {
            throw new ProtocolException("value length " + len + " (expected: -1 or 0.." + in.readableBytes() + ")");
        }
        byte[] b = new byte[len];
        in.readBytes(b);
        return b;
    }

    public static void writeLengthPrefixed(ByteBuf out, byte[] b) {
        if (b == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(b.length);
            out.writeBytes(b);
        }
    }

    public static <T> T notNull(T value, String name) {
        if (value == null) {
            throw new NullPointerException(name + " must not be null");
        }
        return value;
    }

    public static void need(ByteBuf in, int bytes, String what) {
        if (in.readableBytes() < bytes) {
            throw new ProtocolException(what + ": message truncated (" + in.readableBytes() + " bytes left, "
                    + bytes + " needed)");
        }
    }
}
