package io.shardgate.proxy.protocol.backend;

import io.netty.buffer.ByteBuf;

/** AuthenticationCleartextPassword ('R', 3). */
public final class AuthenticationCleartextPassword implements Authentication {
    public static final AuthenticationCleartextPassword INSTANCE = new AuthenticationCleartextPassword();

    private AuthenticationCleartextPassword() {
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeByte('R');
        out.writeInt(8);
        out.writeInt(3);
    }

    @Override
    public String toString() {
        return "AuthenticationCleartextPassword";
    }
}
