package io.shardgate.proxy.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;
import io.shardgate.proxy.protocol.ProtocolException;
import io.shardgate.proxy.protocol.Wire;

import java.util.Arrays;

/**
 * Bind ('B'): binds parameter values (null = SQL NULL) to statement {@code statement}, creating portal
 * {@code portal}. Format codes: 0 text, 1 binary; none = all text, one = all alike.
 */
public final class Bind implements PgMessage {
    private final String portal;
    private final String statement;
    private final short[] parameterFormats;
    private final byte[][] values;
    private final short[] resultFormats;

    /** No format codes: all text (also: an empty format list a decoded Bind shares instead of making its own). */
    private static final short[] NO_FORMATS = new short[0];

    public Bind(String portal, String statement, short[] parameterFormats, byte[][] values, short[] resultFormats) {
        this(Wire.notNull(portal, "portal"), Wire.notNull(statement, "statement"),
                Wire.notNull(parameterFormats, "parameterFormats").clone(), Wire.notNull(values, "values").clone(),
                Wire.notNull(resultFormats, "resultFormats").clone(), true);
    }

    /** Takes the arrays as they are: for arrays this class made or got from another Bind (never changed after). */
    private Bind(String portal, String statement, short[] parameterFormats, byte[][] values, short[] resultFormats,
                 boolean owned) {
        this.portal = portal;
        this.statement = statement;
        this.parameterFormats = parameterFormats;
        this.values = values;
        this.resultFormats = resultFormats;
    }

    public String portal() {
        return portal;
    }

    public String statement() {
        return statement;
    }

    public int parameterCount() {
        return values.length;
    }

    public byte[] value(int i) {
        return values[i];
    }

    /** The format of parameter {@code i} after applying the none/one/each rule. */
    public int parameterFormat(int i) {
        if (parameterFormats.length == 0) {
            return 0;
        }
        return parameterFormats.length == 1 ? parameterFormats[0] : parameterFormats[i];
    }

    public short[] resultFormats() {
        return resultFormats.clone();
    }

    /** The format of result column {@code i} after applying the none/one/each rule. */
    public int resultFormat(int i) {
        if (resultFormats.length == 0) {
            return 0;
        }
        return resultFormats.length == 1 ? resultFormats[0] : (i < resultFormats.length ? resultFormats[i] : 0);
    }

    public Bind withStatement(String newStatement) {
        return new Bind(portal, Wire.notNull(newStatement, "statement"), parameterFormats, values, resultFormats, true);
    }

    public Bind withParameters(short[] formats, byte[][] newValues) {
        return new Bind(portal, statement, formats, newValues, resultFormats);
    }

    public Bind withResultFormats(short[] formats) {
        return new Bind(portal, statement, parameterFormats, values, formats);
    }

    @Override
    public void encode(ByteBuf out) {
        int at = Wire.begin(out, 'B');
        Wire.writeCString(out, portal);
        Wire.writeCString(out, statement);
        out.writeShort(parameterFormats.length);
        for (short f : parameterFormats) {
            out.writeShort(f);
        }
        out.writeShort(values.length);
        for (byte[] v : values) {
            Wire.writeLengthPrefixed(out, v);
        }
        out.writeShort(resultFormats.length);
        for (short f : resultFormats) {
            out.writeShort(f);
        }
        Wire.end(out, at);
    }

    public static Bind decode(ByteBuf body) {
        String portal = Wire.readCString(body);
        String statement = Wire.readCString(body);
        short[] formats = shorts(body, "Bind parameter formats");
        Wire.need(body, 2, "Bind");
        int n = body.readUnsignedShort();
        if (formats.length > 1 && formats.length != n) {
            throw new ProtocolException("Bind: " + formats.length + " parameter formats for " + n + " parameters");
        }
        byte[][] values = new byte[n][];
        for (int i = 0; i < n; i++) {
            Wire.need(body, 4, "Bind");
            values[i] = Wire.readLengthPrefixed(body);
        }
        return new Bind(portal, statement, formats, values, shorts(body, "Bind result formats"), true);
    }

    private static short[] shorts(ByteBuf body, String what) {
        Wire.need(body, 2, what);
        int n = body.readUnsignedShort();
        Wire.need(body, 2 * n, what);
        if (n == 0) {
            return NO_FORMATS;
        }
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = body.readShort();
            if (s[i] != 0 && s[i] != 1) {
                throw new ProtocolException("Bind: format code " + s[i] + " (expected: 0 or 1)");
            }
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bind b && b.portal.equals(portal) && b.statement.equals(statement)
                && Arrays.equals(b.parameterFormats, parameterFormats) && Arrays.deepEquals(b.values, values)
                && Arrays.equals(b.resultFormats, resultFormats);
    }

    @Override
    public int hashCode() {
        return portal.hashCode() * 31 + statement.hashCode() * 7 + Arrays.deepHashCode(values);
    }

    @Override
    public String toString() {
        return "Bind[portal=" + portal + ", statement=" + statement + ", " + values.length + " parameters]";
    }
}
