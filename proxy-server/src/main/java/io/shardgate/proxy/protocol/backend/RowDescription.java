package io.shardgate.proxy.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;
import io.shardgate.proxy.protocol.Wire;

import java.util.ArrayList;
import java.util.List;

/** RowDescription ('T'): one {@link Field} per result column. */
public record RowDescription(List<Field> fields) implements PgMessage {
    public RowDescription {
        fields = List.copyOf(Wire.notNull(fields, "fields"));
    }

    /** One column: name, table OID and attribute number (0 if none), type OID, size, modifier, format (0 text). */
    public record Field(String name, int tableOid, short column, int typeOid, short typeSize, int typeModifier,
                        short format) {
        public Field {
            Wire.notNull(name, "name");
        }

        public static Field text(String name) {
            return new Field(name, 0, (short) 0, 25, (short) -1, -1, (short) 0);
        }

        public Field withFormat(int newFormat) {
            return new Field(name, tableOid, column, typeOid, typeSize, typeModifier, (short) newFormat);
        }

        public Field withType(int oid, int size) {
            return new Field(name, tableOid, column, oid, (short) size, -1, format);
        }
    }

    @Override
    public void encode(ByteBuf out) {
        int at = Wire.begin(out, 'T');
        out.writeShort(fields.size());
        for (Field f : fields) {
            Wire.writeCString(out, f.name());
            out.writeInt(f.tableOid());
            out.writeShort(f.column());
            out.writeInt(f.typeOid());
            out.writeShort(f.typeSize());
            out.writeInt(f.typeModifier());
            out.writeShort(f.format());
        }
        Wire.end(out, at);
    }

    public static RowDescription decode(ByteBuf body) {
        Wire.need(body, 2, "RowDescription");
        int n = body.readUnsignedShort();
        List<Field> fields = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = Wire.readCString(body);
            Wire.need(body, 18, "RowDescription");
            fields.add(new Field(name, body.readInt(), body.readShort(), body.readInt(), body.readShort(),
                    body.readInt(), body.readShort()));
        }
        return new RowDescription(fields);
    }
}
