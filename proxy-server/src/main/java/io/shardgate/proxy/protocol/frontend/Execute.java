package io.shardgate.proxy.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;
import io.shardgate.proxy.protocol.Wire;

/** Execute ('E'): runs portal {@code portal}; {@code maxRows} 0 = all rows, else PortalSuspended after that many. */
public record Execute(String portal, int maxRows) implements PgMessage {
    public Execute {
        Wire.notNull(portal, "portal");
    }

    @Override
    public void encode(ByteBuf out) {
        int at = Wire.begin(out, 'E');
        Wire.writeCString(out, portal);
        out.writeInt(maxRows);
        Wire.end(out, at);
    }

    public static Execute decode(ByteBuf body) {
        String portal = Wire.readCString(body);
        Wire.need(body, 4, "Execute");
        return new Execute(portal, body.readInt());
    }
}
