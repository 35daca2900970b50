package io.shardgate.proxy.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;
import io.shardgate.proxy.protocol.Wire;

/** PasswordMessage ('p'): a cleartext or MD5-hashed password. */
public record PasswordMessage(String password) implements PgMessage {
    public PasswordMessage {
        Wire.notNull(password, "password");
    }

    @Override
    public void encode(ByteBuf out) {
        int at = Wire.begin(out, 'p');
        Wire.writeCString(out, password);
        Wire.end(out, at);
    }

    public static PasswordMessage decode(ByteBuf body) {
        return new PasswordMessage(Wire.readCString(body));
    }

    @Override
    public String toString() {
        return "PasswordMessage[***]";
    }
}
