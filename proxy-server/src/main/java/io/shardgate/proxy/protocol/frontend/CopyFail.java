package io.shardgate.proxy.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;
import io.shardgate.proxy.protocol.Wire;

/** CopyFail ('f'): the client aborts COPY FROM STDIN. */
public record CopyFail(String message) implements PgMessage {
    public CopyFail {
        Wire.notNull(message, "message");
    }

    @Override
    public void encode(ByteBuf out) {
        int at = Wire.begin(out, 'f');
        Wire.writeCString(out, message);
        Wire.end(out, at);
    }

    public static CopyFail decode(ByteBuf body) {
        return new CopyFail(Wire.readCString(body));
    }
}
