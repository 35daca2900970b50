package io.shardgate.proxy.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;

/** SSLRequest (untyped, code 80877103): the server answers one byte, 'S' or 'N'. */
public final class SSLRequest implements PgMessage {
    public static final int CODE = 80877103;
    public static final SSLRequest INSTANCE = new SSLRequest();

    private SSLRequest() {
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeInt(8);
        out.writeInt(CODE);
    }

    @Override
    public String toString() {
        return "SSLRequest";
    }
}
