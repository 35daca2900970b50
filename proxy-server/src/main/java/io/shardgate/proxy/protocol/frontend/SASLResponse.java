package io.shardgate.proxy.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;
import io.shardgate.proxy.protocol.Wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** SASLResponse ('p'): a later SASL message from the client (SCRAM client-final). */
public final class SASLResponse implements PgMessage {
    private final byte[] data;

    public SASLResponse(byte[] data) {
        this.data = Wire.notNull(data, "data");
    }

    public byte[] data() {
        return data;
    }

    public String dataAsString() {
        return new String(data, StandardCharsets.UTF_8);
    }

    @Override
    public void encode(ByteBuf out) {
        int at = Wire.begin(out, 'p');
        out.writeBytes(data);
        Wire.end(out, at);
    }

    public static SASLResponse decode(ByteBuf body) {
        byte[] b = new byte[body.readableBytes()];
        body.readBytes(b);
        return new SASLResponse(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SASLResponse s && Arrays.equals(s.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "SASLResponse[" + data.length + " bytes]";
    }
}
