package io.shardgate.proxy.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.Wire;

import java.util.Arrays;

/** AuthenticationMD5Password ('R', 5) with its 4-byte salt. */
public final class AuthenticationMD5Password implements Authentication {
    private final byte[] salt;

    public AuthenticationMD5Password(byte[] salt) {
        if (Wire.notNull(salt, "salt").length != 4) {
            throw new IllegalArgumentException("salt must be 4 bytes, got " + salt.length);
        }
        this.salt = salt.clone();
    }

    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeByte('R');
        out.writeInt(12);
        out.writeInt(5);
        out.writeBytes(salt);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthenticationMD5Password a && Arrays.equals(a.salt, salt);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(salt);
    }

    @Override
    public String toString() {
        return "AuthenticationMD5Password";
    }
}
