package io.shardgate.proxy.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;
import io.shardgate.proxy.protocol.Wire;

/** Query ('Q'): simple query protocol; the string may hold several statements. */
public record Query(String sql) implements PgMessage {
    public Query {
        Wire.notNull(sql, "sql");
    }

    @Override
    public void encode(ByteBuf out) {
        int at = Wire.begin(out, 'Q');
        Wire.writeCString(out, sql);
        Wire.end(out, at);
    }

    public static Query decode(ByteBuf body) {
        return new Query(Wire.readCString(body));
    }
}
