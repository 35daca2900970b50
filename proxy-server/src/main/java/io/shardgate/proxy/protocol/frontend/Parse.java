package io.shardgate.proxy.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;
import io.shardgate.proxy.protocol.ProtocolException;
import io.shardgate.proxy.protocol.Wire;

import java.util.ArrayList;
import java.util.List;

/** Parse ('P'): prepares {@code sql} as statement {@code name} ("" = unnamed) with parameter type OIDs (0 = infer). */
public record Parse(String name, String sql, List<Integer> parameterTypes) implements PgMessage {
    public Parse {
        Wire.notNull(name, "name");
        Wire.notNull(sql, "sql");
        parameterTypes = List.copyOf(Wire.notNull(parameterTypes, "parameterTypes"));
    }

    @Override
    public void encode(ByteBuf out) {
        int at = Wire.begin(out, 'P');
        Wire.writeCString(out, name);
        Wire.writeCString(out, sql);
        out.writeShort(parameterTypes.size());
        for (int t : parameterTypes) {
            out.writeInt(t);
        }
        Wire.end(out, at);
    }

    public static Parse decode(ByteBuf body) {
        String name = Wire.readCString(body);
        String sql = Wire.readCString(body);
        Wire.need(body, 2, "Parse");
        int n = body.readUnsignedShort();
        if (body.readableBytes() < 4L * n) {
            throw new ProtocolException("Parse: " + n + " parameter types announced, " + body.readableBytes()
                    + " bytes left");
        }
        List<Integer> types = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            types.add(body.readInt());
        }
        return new Parse(name, sql, types);
    }
}
