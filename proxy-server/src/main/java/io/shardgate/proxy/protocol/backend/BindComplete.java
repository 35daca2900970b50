package io.shardgate.proxy.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;

/** BindComplete ('2'). */
public final class BindComplete implements PgMessage {
    public static final BindComplete INSTANCE = new BindComplete();

    private BindComplete() {
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeByte('2');
        out.writeInt(4);
    }

    @Override
    public String toString() {
        return "BindComplete";
    }
}
