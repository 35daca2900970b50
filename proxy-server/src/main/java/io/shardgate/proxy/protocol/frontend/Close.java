package io.shardgate.proxy.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;
import io.shardgate.proxy.protocol.ProtocolException;
import io.shardgate.proxy.protocol.Wire;

/** Close ('C'): closes a statement or portal: {@code kind} 'S' (statement) or 'P' (portal). */
public record Close(char kind, String name) implements PgMessage {
    public Close {
        if (kind != 'S' && kind != 'P') {
            throw new ProtocolException("Close: kind '" + kind + "' (expected: S or P)");
        }
        Wire.notNull(name, "name");
    }

    @Override
    public void encode(ByteBuf out) {
        int at = Wire.begin(out, 'C');
        out.writeByte(kind);
        Wire.writeCString(out, name);
        Wire.end(out, at);
    }

    public static Close decode(ByteBuf body) {
        Wire.need(body, 2, "Close");
        return new Close((char) body.readByte(), Wire.readCString(body));
    }
}
