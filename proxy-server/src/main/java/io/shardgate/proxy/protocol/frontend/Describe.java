package io.shardgate.proxy.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;
import io.shardgate.proxy.protocol.ProtocolException;
import io.shardgate.proxy.protocol.Wire;

/** Describe ('D'): {@code kind} 'S' (statement) or 'P' (portal). */
public record Describe(char kind, String name) implements PgMessage {
    public Describe {
        if (kind != 'S' && kind != 'P') {
            throw new ProtocolException("Describe: kind '" + kind + "' (expected: S or P)");
        }
        Wire.notNull(name, "name");
    }

    @Override
    public void encode(ByteBuf out) {
        int at = Wire.begin(out, 'D');
        out.writeByte(kind);
        Wire.writeCString(out, name);
        Wire.end(out, at);
    }

    public static Describe decode(ByteBuf body) {
        Wire.need(body, 2, "Describe");
        return new Describe((char) body.readByte(), Wire.readCString(body));
    }
}
