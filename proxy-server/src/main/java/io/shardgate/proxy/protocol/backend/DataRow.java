package io.shardgate.proxy.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;
import io.shardgate.proxy.protocol.Wire;

import java.util.Arrays;

/** DataRow ('D'): column values (null = SQL NULL) in the formats of the RowDescription. */
public final class DataRow implements PgMessage {
    private final byte[][] values;

    public DataRow(byte[][] values) {
        this.values = Wire.notNull(values, "values").clone();
    }

    public int size() {
        return values.length;
    }

    public byte[] value(int i) {
        return values[i];
    }

    @Override
    public void encode(ByteBuf out) {
        int at = Wire.begin(out, 'D');
        out.writeShort(values.length);
        for (byte[] v : values) {
            Wire.writeLengthPrefixed(out, v);
        }
        Wire.end(out, at);
    }

    public static DataRow decode(ByteBuf body) {
        Wire.need(body, 2, "DataRow");
        int n = body.readUnsignedShort();
        byte[][] values = new byte[n][];
        for (int i = 0; i < n; i++) {
            Wire.need(body, 4, "DataRow");
            values[i] = Wire.readLengthPrefixed(body);
        }
        return new DataRow(values);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataRow d && Arrays.deepEquals(d.values, values);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(values);
    }

    @Override
    public String toString() {
        return "DataRow[" + values.length + " columns]";
    }
}
