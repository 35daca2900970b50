package io.shardgate.proxy.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;
import io.shardgate.proxy.protocol.Wire;

/** CancelRequest (untyped, code 80877102): the BackendKeyData of the session whose query should be cancelled. */
public record CancelRequest(int processId, int secretKey) implements PgMessage {
    public static final int CODE = 80877102;

    @Override
    public void encode(ByteBuf out) {
        out.writeInt(16);
        out.writeInt(CODE);
        out.writeInt(processId);
        out.writeInt(secretKey);
    }

    /** Decodes the packet after its length and code. */
    public static CancelRequest decode(ByteBuf in) {
        Wire.need(in, 8, "CancelRequest");
        return new CancelRequest(in.readInt(), in.readInt());
    }
}
