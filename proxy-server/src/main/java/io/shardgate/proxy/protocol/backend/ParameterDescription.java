package io.shardgate.proxy.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;
import io.shardgate.proxy.protocol.Wire;

import java.util.ArrayList;
import java.util.List;

/** ParameterDescription ('t'): the type OIDs of a statement's parameters. */
public record ParameterDescription(List<Integer> types) implements PgMessage {
    public ParameterDescription {
        types = List.copyOf(Wire.notNull(types, "types"));
    }

    @Override
    public void encode(ByteBuf out) {
        int at = Wire.begin(out, 't');
        out.writeShort(types.size());
        for (int t : types) {
            out.writeInt(t);
        }
        Wire.end(out, at);
    }

    public static ParameterDescription decode(ByteBuf body) {
        Wire.need(body, 2, "ParameterDescription");
        int n = body.readUnsignedShort();
        Wire.need(body, 4 * n, "ParameterDescription");
        List<Integer> t = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            t.add(body.readInt());
        }
        return new ParameterDescription(t);
    }
}
