package io.shardgate.proxy.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;
import io.shardgate.proxy.protocol.Wire;

import java.util.ArrayList;
import java.util.List;

/** CopyOutResponse ('H'): overall format (0 text, 1 binary) and per-column formats. */
public record CopyOutResponse(int format, List<Integer> columnFormats) implements PgMessage {
    public CopyOutResponse {
        columnFormats = List.copyOf(Wire.notNull(columnFormats, "columnFormats"));
    }

    @Override
    public void encode(ByteBuf out) {
        int at = Wire.begin(out, 'H');
        out.writeByte(format);
        out.writeShort(columnFormats.size());
        for (int f : columnFormats) {
            out.writeShort(f);
        }
        Wire.end(out, at);
    }

    public static CopyOutResponse decode(ByteBuf body) {
        Wire.need(body, 3, "CopyOutResponse");
        int format = body.readByte();
        int n = body.readUnsignedShort();
        Wire.need(body, 2 * n, "CopyOutResponse");
        List<Integer> f = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            f.add((int) body.readShort());
        }
        return new CopyOutResponse(format, f);
    }
}
