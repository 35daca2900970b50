package io.shardgate.proxy.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;
import io.shardgate.proxy.protocol.Wire;

/** ParameterStatus ('S'): a run-time parameter's current value. */
public record ParameterStatus(String name, String value) implements PgMessage {
    public ParameterStatus {
        Wire.notNull(name, "name");
        Wire.notNull(value, "value");
    }

    @Override
    public void encode(ByteBuf out) {
        int at = Wire.begin(out, 'S');
        Wire.writeCString(out, name);
        Wire.writeCString(out, value);
        Wire.end(out, at);
    }

    public static ParameterStatus decode(ByteBuf body) {
        return new ParameterStatus(Wire.readCString(body), Wire.readCString(body));
    }
}
