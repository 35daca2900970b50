package io.shardgate.proxy.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;
import io.shardgate.proxy.protocol.Wire;

/** BackendKeyData ('K'): process id and secret a CancelRequest must quote. */
public record BackendKeyData(int processId, int secretKey) implements PgMessage {
    @Override
    public void encode(ByteBuf out) {
        out.writeByte('K');
        out.writeInt(12);
        out.writeInt(processId);
        out.writeInt(secretKey);
    }

    public static BackendKeyData decode(ByteBuf body) {
        Wire.need(body, 8, "BackendKeyData");
        return new BackendKeyData(body.readInt(), body.readInt());
    }
}
