package io.shardgate.proxy.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;

/** Sync ('S'): ends an extended-protocol batch; the server answers ReadyForQuery. */
public final class Sync implements PgMessage {
    public static final Sync INSTANCE = new Sync();

    private Sync() {
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeByte('S');
        out.writeInt(4);
    }

    @Override
    public String toString() {
        return "Sync";
    }
}
