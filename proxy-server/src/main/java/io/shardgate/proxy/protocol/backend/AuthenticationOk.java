package io.shardgate.proxy.protocol.backend;

import io.netty.buffer.ByteBuf;

/** AuthenticationOk ('R', 0). */
public final class AuthenticationOk implements Authentication {
    public static final AuthenticationOk INSTANCE = new AuthenticationOk();

    private AuthenticationOk() {
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeByte('R');
        out.writeInt(8);
        out.writeInt(0);
    }

    @Override
    public String toString() {
        return "AuthenticationOk";
    }
}
