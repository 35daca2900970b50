package io.shardgate.proxy.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;

/** EmptyQueryResponse ('I'): the query string was empty. */
public final class EmptyQueryResponse implements PgMessage {
    public static final EmptyQueryResponse INSTANCE = new EmptyQueryResponse();

    private EmptyQueryResponse() {
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeByte('I');
        out.writeInt(4);
    }

    @Override
    public String toString() {
        return "EmptyQueryResponse";
    }
}
