package io.shardgate.proxy.values;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * PostgreSQL values to Java and back, for the common types, in text (format 0) and binary (format 1). Used to read
 * Bind parameters for routing and to merge DataRows of several shards; single-shard results are never decoded.
 * A value that does not parse as its type stays a String: the merge compares it as text rather than failing.
 */
public final class PgValues {
    private static final LocalDate PG_EPOCH = LocalDate.of(2000, 1, 1);
    private static final LocalDateTime PG_EPOCH_TS = PG_EPOCH.atStartOfDay();
    private static final DateTimeFormatter TS = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss").optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd().toFormatter();
    private static final DateTimeFormatter TSTZ = new DateTimeFormatterBuilder().append(TS)
            .appendOffset("+HH:mm", "+00").toFormatter();
    private static final DateTimeFormatter TSTZ_IN = new DateTimeFormatterBuilder().append(TS)
            .appendOffset("+HH:mm:ss", "+00").toFormatter();

    private PgValues() {
    }

    // ---------------------------------------------------------------- decode

    public static Object decode(byte[] bytes, int format, int typeOid) {
        if (bytes == null) {
            return null;
        }
        return format == 1 ? decodeBinary(bytes, typeOid) : decodeText(new String(bytes, StandardCharsets.UTF_8), typeOid);
    }

    /**
     * A Bind parameter's value for routing: as {@link #decode}, and a binary array of a common element type as an
     * Object[] of its elements ({@code key = ANY($1)}; text arrays stay strings, which the router reads).
     */
    public static Object decodeParameter(byte[] bytes, int format, int typeOid) {
        if (bytes != null && format == 1 && PgTypes.isReadableArray(typeOid)) {
            return decodeBinaryArray(ByteBuffer.wrap(bytes), bytes);
        }
        return decode(bytes, format, typeOid);
    }

    public static Object decodeText(String s, int typeOid) {
        try {
            switch (typeOid) {
                case PgTypes.BOOL:
                    return s.equals("t") || s.equalsIgnoreCase("true");
                case PgTypes.INT2:
                case PgTypes.INT4:
                    return Integer.parseInt(s.trim());
                case PgTypes.INT8:
                case PgTypes.OID:
                    return Long.parseLong(s.trim());
                case PgTypes.FLOAT4:
                case PgTypes.FLOAT8:
                    return switch (s) {
                        case "NaN" -> Double.NaN;
                        case "Infinity" -> Double.POSITIVE_INFINITY;
                        case "-Infinity" -> Double.NEGATIVE_INFINITY;
                        default -> Double.parseDouble(s);
                    };
                case PgTypes.NUMERIC:
                    return new BigDecimal(s.trim());
                case PgTypes.DATE:
                    return LocalDate.parse(s);
                case PgTypes.TIMESTAMP:
                    return LocalDateTime.parse(s.replace('T', ' '), TS);
                case PgTypes.TIMESTAMPTZ:
                    return OffsetDateTime.parse(s.replace('T', ' '), TSTZ_IN);
                case PgTypes.UUID:
                    return UUID.fromString(s);
                case PgTypes.UNSPECIFIED:
                    return isLongLiteral(s) ? (Object) Long.parseLong(s) : s;
                default:
                    return s;
            }
        } catch (RuntimeException e) {
            return s;
        }
    }

    /**
     * Whether {@code s} is an optional minus and 1 to 18 ASCII digits (always fits a long). Checked by hand: this runs
     * for every untyped parameter of every Bind (pgbench -M prepared sends its keys untyped), where String.matches
     * compiled a regular expression each time and was 6% of the proxy's Java time; also every row key of a COPY into a
     * sharded table.
     */
    public static boolean isLongLiteral(String s) {
        int start = !s.isEmpty() && s.charAt(0) == '-' ? 1 : 0;
        int digits = s.length() - start;
        if (digits < 1 || digits > 18) {
            return false;
        }
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    public static Object decodeBinary(byte[] b, int typeOid) {
        ByteBuffer buf = ByteBuffer.wrap(b);
        switch (typeOid) {
            case PgTypes.BOOL:
                return b.length == 1 ? b[0] != 0 : bytesAsText(b);
            case PgTypes.INT2:
                return b.length == 2 ? (int) buf.getShort() : bytesAsText(b);
            case PgTypes.INT4:
                return b.length == 4 ? buf.getInt() : bytesAsText(b);
            case PgTypes.INT8:
                return b.length == 8 ? buf.getLong() : bytesAsText(b);
            case PgTypes.OID:
                return b.length == 4 ? buf.getInt() & 0xffffffffL : bytesAsText(b);
            case PgTypes.FLOAT4:
                return b.length == 4 ? (double) buf.getFloat() : bytesAsText(b);
            case PgTypes.FLOAT8:
                return b.length == 8 ? buf.getDouble() : bytesAsText(b);
            case PgTypes.UUID:
                return b.length == 16 ? new UUID(buf.getLong(), buf.getLong()) : bytesAsText(b);
            case PgTypes.DATE:
                return b.length == 4 ? PG_EPOCH.plusDays(buf.getInt()) : bytesAsText(b);
            case PgTypes.TIMESTAMP:
                return b.length == 8 ? PG_EPOCH_TS.plus(buf.getLong(), ChronoUnit.MICROS) : bytesAsText(b);
            case PgTypes.TIMESTAMPTZ:
                return b.length == 8 ? PG_EPOCH_TS.plus(buf.getLong(), ChronoUnit.MICROS).atOffset(ZoneOffset.UTC)
                        : bytesAsText(b);
            case PgTypes.NUMERIC:
                return decodeNumeric(buf);
            case PgTypes.BYTEA:
                return b;
            case PgTypes.UNSPECIFIED:
                if (b.length == 8) {
                    return buf.getLong();
                }
                if (b.length == 4) {
                    return buf.getInt();
                }
                return bytesAsText(b);
            default:
                return bytesAsText(b);
        }
    }

    /**
     * A binary array (ndim, has-null flag, element type, then per dimension its length and lower bound, then each
     * element as length and bytes, -1 for NULL) as a flat Object[] of its decoded elements; the bytes as text when
     * they are not such an array.
     */
    private static Object decodeBinaryArray(ByteBuffer buf, byte[] b) {
        try {
            int dimensions = buf.getInt();
            buf.getInt();
            int elementType = buf.getInt();
            if (dimensions < 0 || dimensions > 6) {
                return bytesAsText(b);
            }
            long count = dimensions == 0 ? 0 : 1;
            for (int d = 0; d < dimensions; d++) {
                count *= buf.getInt();
                buf.getInt();
            }
            if (count < 0 || count > b.length / 4) {
                return bytesAsText(b);
            }
            Object[] elements = new Object[(int) count];
            for (int i = 0; i < elements.length; i++) {
                int length = buf.getInt();
                if (length >= 0) {
                    byte[] element = new byte[length];
                    buf.get(element);
                    elements[i] = decodeBinary(element, elementType);
                }
            }
            return buf.hasRemaining() ? bytesAsText(b) : elements;
        } catch (java.nio.BufferUnderflowException | NegativeArraySizeException e) {
            return bytesAsText(b);
        }
    }

    private static String bytesAsText(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static Object decodeNumeric(ByteBuffer buf) {
        int ndigits = buf.getShort();
        int weight = buf.getShort();
        int sign = buf.getShort() & 0xffff;
        int dscale = buf.getShort();
        if (sign == 0xC000) {
            return "NaN";
        }
        BigInteger unscaled = BigInteger.ZERO;
        for (int i = 0; i < ndigits; i++) {
            unscaled = unscaled.multiply(BigInteger.valueOf(10000)).add(BigInteger.valueOf(buf.getShort()));
        }
        // value = unscaled * 10000^(weight - ndigits + 1)
        BigDecimal v = new BigDecimal(unscaled).scaleByPowerOfTen(4 * (weight - ndigits + 1));
        if (sign == 0x4000) {
            v = v.negate();
        }
        return v.setScale(dscale, java.math.RoundingMode.UNNECESSARY);
    }

    // ---------------------------------------------------------------- encode

    /** The text format of a value; {@code typeOid} only matters for how a few types print. */
    public static String encodeText(Object v) {
        if (v instanceof Boolean b) {
            return b ? "t" : "f";
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Double d) {
            return formatDouble(d);
        }
        if (v instanceof Float f) {
            return formatDouble(f.doubleValue());
        }
        if (v instanceof LocalDateTime t) {
            return TS.format(t);
        }
        if (v instanceof OffsetDateTime t) {
            return TSTZ.format(t);
        }
        if (v instanceof java.sql.Timestamp t) {
            return TS.format(t.toLocalDateTime());
        }
        if (v instanceof Object[] elements) {
            // an array parameter decoded from binary (key = ANY($1)), sent on as PostgreSQL's array text
            StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < elements.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                if (elements[i] == null) {
                    sb.append("NULL");
                } else {
                    sb.append('"').append(encodeText(elements[i]).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
                }
            }
            return sb.append('}').toString();
        }
        if (v instanceof byte[] b) {
            StringBuilder sb = new StringBuilder("\\x");
            for (byte x : b) {
                sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
            }
            return sb.toString();
        }
        return String.valueOf(v);
    }

    private static String formatDouble(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d).replace("E", "e+").replace("e+-", "e-");
    }

    /** Binary format of {@code v} as column type {@code typeOid}; null when this type has no binary encoder here. */
    public static byte[] encodeBinary(Object v, int typeOid) {
        switch (typeOid) {
            case PgTypes.BOOL:
                return new byte[] {(byte) (Boolean.TRUE.equals(v) ? 1 : 0)};
            case PgTypes.INT2:
                return ByteBuffer.allocate(2).putShort(((Number) v).shortValue()).array();
            case PgTypes.INT4:
                return ByteBuffer.allocate(4).putInt(((Number) v).intValue()).array();
            case PgTypes.INT8:
                return ByteBuffer.allocate(8).putLong(((Number) v).longValue()).array();
            case PgTypes.OID:
                return ByteBuffer.allocate(4).putInt((int) ((Number) v).longValue()).array();
            case PgTypes.FLOAT4:
                return ByteBuffer.allocate(4).putFloat(((Number) v).floatValue()).array();
            case PgTypes.FLOAT8:
                return ByteBuffer.allocate(8).putDouble(((Number) v).doubleValue()).array();
            case PgTypes.UUID: {
                UUID u = v instanceof UUID x ? x : UUID.fromString(v.toString());
                return ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits())
                        .array();
            }
            case PgTypes.DATE:
                return ByteBuffer.allocate(4).putInt((int) ChronoUnit.DAYS.between(PG_EPOCH, (LocalDate) v)).array();
            case PgTypes.TIMESTAMP:
                return ByteBuffer.allocate(8).putLong(micros(Duration.between(PG_EPOCH_TS, (LocalDateTime) v))).array();
            case PgTypes.TIMESTAMPTZ: {
                LocalDateTime utc = ((OffsetDateTime) v).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
                return ByteBuffer.allocate(8).putLong(micros(Duration.between(PG_EPOCH_TS, utc))).array();
            }
            case PgTypes.NUMERIC:
                return encodeNumeric(v instanceof BigDecimal d ? d : new BigDecimal(v.toString()));
            case PgTypes.BYTEA:
                return v instanceof byte[] b ? b : null;
            case PgTypes.TEXT:
            case PgTypes.VARCHAR:
            case PgTypes.BPCHAR:
            case PgTypes.NAME:
                return encodeText(v).getBytes(StandardCharsets.UTF_8);
            default:
                return null;
        }
    }

    private static long micros(Duration d) {
        return d.getSeconds() * 1_000_000L + d.getNano() / 1000;
    }

    static byte[] encodeNumeric(BigDecimal d) {
        int dscale = Math.max(d.scale(), 0);
        BigInteger unscaled = d.abs().setScale(dscale).unscaledValue();
        // shift so that the scale is a multiple of 4 digits
        int pad = (4 - dscale % 4) % 4;
        unscaled = unscaled.multiply(BigInteger.TEN.pow(pad));
        int fracGroups = (dscale + pad) / 4;
        java.util.ArrayList<Short> groups = new java.util.ArrayList<>();
        BigInteger tenK = BigInteger.valueOf(10000);
        while (unscaled.signum() > 0) {
            BigInteger[] qr = unscaled.divideAndRemainder(tenK);
            groups.add(0, qr[1].shortValue());
            unscaled = qr[0];
        }
        int weight = groups.size() - fracGroups - 1;
        // strip trailing zero groups
        while (!groups.isEmpty() && groups.get(groups.size() - 1) == 0) {
            groups.remove(groups.size() - 1);
        }
        // strip leading zero groups
        while (!groups.isEmpty() && groups.get(0) == 0) {
            groups.remove(0);
            weight--;
        }
        if (groups.isEmpty()) {
            weight = 0;
        }
        ByteBuffer buf = ByteBuffer.allocate(8 + 2 * groups.size());
        buf.putShort((short) groups.size()).putShort((short) weight)
                .putShort((short) (d.signum() < 0 ? 0x4000 : 0)).putShort((short) dscale);
        for (short g : groups) {
            buf.putShort(g);
        }
        return buf.array();
    }
}
