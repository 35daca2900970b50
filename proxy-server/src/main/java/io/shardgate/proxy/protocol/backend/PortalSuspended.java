package io.shardgate.proxy.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;

/** PortalSuspended ('s'): Execute reached its row limit. */
public final class PortalSuspended implements PgMessage {
    public static final PortalSuspended INSTANCE = new PortalSuspended();

    private PortalSuspended() {
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeByte('s');
        out.writeInt(4);
    }

    @Override
    public String toString() {
        return "PortalSuspended";
    }
}
