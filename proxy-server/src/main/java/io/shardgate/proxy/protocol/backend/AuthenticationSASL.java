package io.shardgate.proxy.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.Wire;

import java.util.List;

/** AuthenticationSASL ('R', 10): the mechanisms the server offers. */
public record AuthenticationSASL(List<String> mechanisms) implements Authentication {
    public AuthenticationSASL {
        mechanisms = List.copyOf(Wire.notNull(mechanisms, "mechanisms"));
    }

    @Override
    public void encode(ByteBuf out) {
        int at = Wire.begin(out, 'R');
        out.writeInt(10);
        for (String m : mechanisms) {
            Wire.writeCString(out, m);
        }
        out.writeByte(0);
        Wire.end(out, at);
    }
}
