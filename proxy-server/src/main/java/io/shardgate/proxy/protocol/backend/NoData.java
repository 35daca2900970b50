package io.shardgate.proxy.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;

/** NoData ('n'): the statement or portal returns no rows. */
public final class NoData implements PgMessage {
    public static final NoData INSTANCE = new NoData();

    private NoData() {
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeByte('n');
        out.writeInt(4);
    }

    @Override
    public String toString() {
        return "NoData";
    }
}
