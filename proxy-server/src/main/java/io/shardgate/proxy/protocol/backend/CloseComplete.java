package io.shardgate.proxy.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;

/** CloseComplete ('3'). */
public final class CloseComplete implements PgMessage {
    public static final CloseComplete INSTANCE = new CloseComplete();

    private CloseComplete() {
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeByte('3');
        out.writeInt(4);
    }

    @Override
    public String toString() {
        return "CloseComplete";
    }
}
