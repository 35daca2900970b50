package io.shardgate.proxy.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;

/** Flush ('H'): asks the server to send what it has buffered. */
public final class Flush implements PgMessage {
    public static final Flush INSTANCE = new Flush();

    private Flush() {
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeByte('H');
        out.writeInt(4);
    }

    @Override
    public String toString() {
        return "Flush";
    }
}
