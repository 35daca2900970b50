package io.shardgate.proxy.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;
import io.shardgate.proxy.protocol.Wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** SASLInitialResponse ('p'): the chosen mechanism and the client-first message. */
public final class SASLInitialResponse implements PgMessage {
    private final String mechanism;
    private final byte[] data;

    public SASLInitialResponse(String mechanism, byte[] data) {
        this.mechanism = Wire.notNull(mechanism, "mechanism");
        this.data = data;
    }

    public String mechanism() {
        return mechanism;
    }

    public byte[] data() {
        return data;
    }

    public String dataAsString() {
        return data == null ? "" : new String(data, StandardCharsets.UTF_8);
    }

    @Override
    public void encode(ByteBuf out) {
        int at = Wire.begin(out, 'p');
        Wire.writeCString(out, mechanism);
        Wire.writeLengthPrefixed(out, data);
        Wire.end(out, at);
    }

    public static SASLInitialResponse decode(ByteBuf body) {
        String mechanism = Wire.readCString(body);
        Wire.need(body, 4, "SASLInitialResponse");
        return new SASLInitialResponse(mechanism, Wire.readLengthPrefixed(body));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SASLInitialResponse s && s.mechanism.equals(mechanism) && Arrays.equals(s.data, data);
    }

    @Override
    public int hashCode() {
        return mechanism.hashCode() * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "SASLInitialResponse[" + mechanism + "]";
    }
}
