package io.shardgate.proxy.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;

/** Terminate ('X'): the client closes the session. */
public final class Terminate implements PgMessage {
    public static final Terminate INSTANCE = new Terminate();

    private Terminate() {
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeByte('X');
        out.writeInt(4);
    }

    @Override
    public String toString() {
        return "Terminate";
    }
}
