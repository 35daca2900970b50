package io.shardgate.proxy.protocol;

import io.netty.buffer.ByteBuf;

/** A protocol message of either direction; it writes its whole frame (type byte, length, body). */
public interface PgMessage {
    void encode(ByteBuf out);
}
