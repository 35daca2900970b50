package io.shardgate.proxy.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;

/** ParseComplete ('1'). */
public final class ParseComplete implements PgMessage {
    public static final ParseComplete INSTANCE = new ParseComplete();

    private ParseComplete() {
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeByte('1');
        out.writeInt(4);
    }

    @Override
    public String toString() {
        return "ParseComplete";
    }
}
