package io.shardgate.proxy.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;
import io.shardgate.proxy.protocol.Wire;

/**
 * FunctionCall ('F'), the fast-path call pgjdbc's large-object API uses (lo_open, loread, lowrite...). The proxy does
 * not look inside it: the body goes to the backend as the client sent it.
 */
public final class FunctionCall implements PgMessage {
    private final byte[] body;

    private FunctionCall(byte[] body) {
        this.body = body;
    }

    public static FunctionCall decode(ByteBuf body) {
        Wire.need(body, 4, "FunctionCall");
        byte[] b = new byte[body.readableBytes()];
        body.readBytes(b);
        return new FunctionCall(b);
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeByte('F');
        out.writeInt(body.length + 4);
        out.writeBytes(body);
    }

    @Override
    public String toString() {
        return "FunctionCall(" + body.length + " bytes)";
    }
}
