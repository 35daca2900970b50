package io.shardgate.proxy.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;

/** CopyDone ('c'): end of COPY data. */
public final class CopyDone implements PgMessage {
    public static final CopyDone INSTANCE = new CopyDone();

    private CopyDone() {
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeByte('c');
        out.writeInt(4);
    }

    @Override
    public String toString() {
        return "CopyDone";
    }
}
