package io.shardgate.proxy.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.Wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** AuthenticationSASLContinue ('R', 11): SASL data from the server. */
public final class AuthenticationSASLContinue implements Authentication {
    private final byte[] data;

    public AuthenticationSASLContinue(byte[] data) {
        this.data = Wire.notNull(data, "data").clone();
    }

    public byte[] data() {
        return data.clone();
    }

    public String dataAsString() {
        return new String(data, StandardCharsets.UTF_8);
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeByte('R');
        out.writeInt(8 + data.length);
        out.writeInt(11);
        out.writeBytes(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthenticationSASLContinue a && Arrays.equals(a.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "AuthenticationSASLContinue[" + data.length + " bytes]";
    }
}
