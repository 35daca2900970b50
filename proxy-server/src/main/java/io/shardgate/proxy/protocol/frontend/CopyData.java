package io.shardgate.proxy.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;
import io.shardgate.proxy.protocol.Wire;

import java.util.Arrays;

/** CopyData ('d'), either direction: a chunk of COPY data. */
public final class CopyData implements PgMessage {
    private final byte[] data;

    public CopyData(byte[] data) {
        this.data = Wire.notNull(data, "data");
    }

    public byte[] data() {
        return data;
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeByte('d');
        out.writeInt(4 + data.length);
        out.writeBytes(data);
    }

    public static CopyData decode(ByteBuf body) {
        byte[] b = new byte[body.readableBytes()];
        body.readBytes(b);
        return new CopyData(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CopyData c && Arrays.equals(c.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "CopyData[" + data.length + " bytes]";
    }
}
