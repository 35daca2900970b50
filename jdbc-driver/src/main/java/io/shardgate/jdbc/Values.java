package io.shardgate.jdbc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Calendar;
import java.util.Locale;
import java.util.UUID;

/**
 * Conversions of the plain Java values a merged row holds (what the physical drivers' {@code getObject} returned)
 * to what each ResultSet getter promises, following what pgjdbc and Connector/J do for the same column: numbers
 * convert between each other and from their text, dates and times between the java.sql and java.time types in the
 * JVM's zone (or the Calendar's), and a value that cannot convert fails with SQLState 22018 naming both types.
 */
final class Values {
    private Values() {
    }

    static String toString(Object v, boolean postgres) {
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Boolean b) {
            return postgres ? (b ? "t" : "f") : (b ? "1" : "0");
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Timestamp t) {
            String s = t.toString();
            return t.getNanos() == 0 && s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
        }
        if (v instanceof LocalDateTime t) {
            return Timestamp.valueOf(t).toString().replaceFirst("\\.0$", "");
        }
        if (v instanceof byte[] b) {
            if (!postgres) {
                return new String(b, StandardCharsets.UTF_8);
            }
            StringBuilder sb = new StringBuilder(2 + 2 * b.length).append("\\x");
            for (byte x : b) {
                sb.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
            }
            return sb.toString();
        }
        return v.toString();
    }

    static boolean toBoolean(Object v) throws SQLException {
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof BigDecimal d) {
            return d.signum() != 0;
        }
        if (v instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (v instanceof String s) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "t", "true", "1", "y", "yes", "on" -> {
                    return true;
                }
                case "f", "false", "0", "n", "no", "off", "" -> {
                    return false;
                }
                default -> throw cannot(v, "boolean");
            }
        }
        throw cannot(v, "boolean");
    }

    static long toLong(Object v, long min, long max, String type) throws SQLException {
        if (v == null) {
            return 0;
        }
        long r;
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            r = ((Number) v).longValue();
        } else if (v instanceof Boolean b) {
            r = b ? 1 : 0;
        } else if (v instanceof Number || v instanceof String) {
            BigDecimal d;
            try {
                d = v instanceof String s ? new BigDecimal(s.trim()) : toBigDecimal(v);
            } catch (NumberFormatException e) {
                throw cannot(v, type);
            }
            try {
                r = d.setScale(0, RoundingMode.DOWN).longValueExact();
            } catch (ArithmeticException e) {
                throw outOfRange(v, type);
            }
        } else {
            throw cannot(v, type);
        }
        if (r < min || r > max) {
            throw outOfRange(v, type);
        }
        return r;
    }

    static double toDouble(Object v) throws SQLException {
        if (v == null) {
            return 0;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw cannot(v, "double");
            }
        }
        throw cannot(v, "double");
    }

    static BigDecimal toBigDecimal(Object v) throws SQLException {
        if (v == null) {
            return null;
        }
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof BigInteger b) {
            return new BigDecimal(b);
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw cannot(v, "BigDecimal");
            }
            return new BigDecimal(v.toString());
        }
        if (v instanceof Boolean b) {
            return b ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        if (v instanceof String s) {
            try {
                return new BigDecimal(s.trim());
            } catch (NumberFormatException e) {
                throw cannot(v, "BigDecimal");
            }
        }
        throw cannot(v, "BigDecimal");
    }

    static byte[] toBytes(Object v) throws SQLException {
        if (v == null) {
            return null;
        }
        if (v instanceof byte[] b) {
            return b;
        }
        if (v instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        throw cannot(v, "byte[]");
    }

    /** A timestamp without zone as the local date-time it names, or null when {@code v} has an absolute instant. */
    private static LocalDateTime localDateTime(Object v) throws SQLException {
        if (v instanceof Timestamp t) {
            return t.toLocalDateTime();
        }
        if (v instanceof LocalDateTime t) {
            return t;
        }
        if (v instanceof Date d) {
            return d.toLocalDate().atStartOfDay();
        }
        if (v instanceof LocalDate d) {
            return d.atStartOfDay();
        }
        if (v instanceof String s) {
            try {
                return Timestamp.valueOf(s.trim().replace('T', ' ')).toLocalDateTime();
            } catch (IllegalArgumentException e) {
                try {
                    return OffsetDateTime.parse(s.trim().replace(' ', 'T')).atZoneSameInstant(ZoneId.systemDefault())
                            .toLocalDateTime();
                } catch (RuntimeException e2) {
                    throw cannot(v, "timestamp");
                }
            }
        }
        return null;
    }

    private static Instant instant(Object v) {
        if (v instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (v instanceof ZonedDateTime z) {
            return z.toInstant();
        }
        if (v instanceof Instant i) {
            return i;
        }
        if (v instanceof java.util.Date d && !(v instanceof Date) && !(v instanceof Time)) {
            return d.toInstant();
        }
        return null;
    }

    static Timestamp toTimestamp(Object v, Calendar cal) throws SQLException {
        if (v == null) {
            return null;
        }
        if (v instanceof Timestamp t && cal == null) {
            return t;
        }
        Instant i = instant(v);
        if (i != null && !(v instanceof Timestamp)) {
            return Timestamp.from(i);
        }
        LocalDateTime l = localDateTime(v);
        if (l == null) {
            throw cannot(v, "Timestamp");
        }
        if (cal == null) {
            return Timestamp.valueOf(l);
        }
        return Timestamp.from(l.atZone(cal.getTimeZone().toZoneId()).toInstant());
    }

    static Date toDate(Object v, Calendar cal) throws SQLException {
        if (v == null) {
            return null;
        }
        if (v instanceof Date d && cal == null) {
            return d;
        }
        if (v instanceof LocalDate d) {
            return cal == null ? Date.valueOf(d)
                    : new Date(d.atStartOfDay(cal.getTimeZone().toZoneId()).toInstant().toEpochMilli());
        }
        Instant i = instant(v);
        LocalDate local;
        if (i != null) {
            local = i.atZone(ZoneId.systemDefault()).toLocalDate();
        } else {
            LocalDateTime l = localDateTime(v);
            if (l == null) {
                throw cannot(v, "Date");
            }
            local = l.toLocalDate();
        }
        return cal == null ? Date.valueOf(local)
                : new Date(local.atStartOfDay(cal.getTimeZone().toZoneId()).toInstant().toEpochMilli());
    }

    static Time toTime(Object v, Calendar cal) throws SQLException {
        if (v == null) {
            return null;
        }
        if (v instanceof Time t && cal == null) {
            return t;
        }
        LocalTime local;
        if (v instanceof Time t) {
            local = t.toLocalTime();
        } else if (v instanceof LocalTime t) {
            local = t;
        } else if (v instanceof OffsetTime t) {
            local = t.withOffsetSameInstant(ZoneId.systemDefault().getRules().getOffset(Instant.now()))
                    .toLocalTime();
        } else if (v instanceof String s && s.trim().length() <= 15 && s.indexOf('-') < 0) {
            try {
                local = LocalTime.parse(s.trim());
            } catch (RuntimeException e) {
                throw cannot(v, "Time");
            }
        } else {
            Instant i = instant(v);
            if (i != null) {
                local = i.atZone(ZoneId.systemDefault()).toLocalTime();
            } else {
                LocalDateTime l = localDateTime(v);
                if (l == null) {
                    throw cannot(v, "Time");
                }
                local = l.toLocalTime();
            }
        }
        if (cal == null) {
            return Time.valueOf(local);
        }
        return new Time(local.atDate(LocalDate.of(1970, 1, 1)).atZone(cal.getTimeZone().toZoneId()).toInstant()
                .toEpochMilli());
    }

    /** {@code getObject(column, type)}: the value itself when it already is one, else a conversion. */
    @SuppressWarnings("unchecked")
    static <T> T convert(Object v, Class<T> type, boolean postgres) throws SQLException {
        if (type == null) {
            throw new SQLException("getObject: type must not be null", "22023");
        }
        if (v == null) {
            return null;
        }
        if (type.isInstance(v)) {
            return (T) v;
        }
        Object r;
        if (type == String.class) {
            r = toString(v, postgres);
        } else if (type == Integer.class) {
            r = (int) toLong(v, Integer.MIN_VALUE, Integer.MAX_VALUE, "int");
        } else if (type == Long.class) {
            r = toLong(v, Long.MIN_VALUE, Long.MAX_VALUE, "long");
        } else if (type == Short.class) {
            r = (short) toLong(v, Short.MIN_VALUE, Short.MAX_VALUE, "short");
        } else if (type == Byte.class) {
            r = (byte) toLong(v, Byte.MIN_VALUE, Byte.MAX_VALUE, "byte");
        } else if (type == Boolean.class) {
            r = toBoolean(v);
        } else if (type == Double.class) {
            r = toDouble(v);
        } else if (type == Float.class) {
            r = (float) toDouble(v);
        } else if (type == BigDecimal.class) {
            r = toBigDecimal(v);
        } else if (type == BigInteger.class) {
            r = toBigDecimal(v).toBigInteger();
        } else if (type == byte[].class) {
            r = toBytes(v);
        } else if (type == Timestamp.class) {
            r = toTimestamp(v, null);
        } else if (type == Date.class) {
            r = toDate(v, null);
        } else if (type == Time.class) {
            r = toTime(v, null);
        } else if (type == LocalDateTime.class) {
            Instant i = instant(v);
            r = i != null ? LocalDateTime.ofInstant(i, ZoneId.systemDefault()) : toTimestamp(v, null).toLocalDateTime();
        } else if (type == LocalDate.class) {
            r = toDate(v, null).toLocalDate();
        } else if (type == LocalTime.class) {
            r = toTime(v, null).toLocalTime();
        } else if (type == OffsetDateTime.class) {
            Instant i = instant(v);
            r = i != null ? OffsetDateTime.ofInstant(i, ZoneOffset.UTC)
                    : toTimestamp(v, null).toInstant().atOffset(ZoneOffset.UTC);
        } else if (type == Instant.class) {
            Instant i = instant(v);
            r = i != null ? i : toTimestamp(v, null).toInstant();
        } else if (type == UUID.class) {
            try {
                r = UUID.fromString(v.toString());
            } catch (IllegalArgumentException e) {
                throw cannot(v, "UUID");
            }
        } else {
            throw cannot(v, type.getName());
        }
        return (T) r;
    }

    static SQLException cannot(Object v, String type) {
        return new SQLDataException("cannot convert " + v.getClass().getSimpleName() + " value '" + v + "' to " + type,
                "22018");
    }

    private static SQLException outOfRange(Object v, String type) {
        return new SQLDataException("value '" + v + "' is out of range for " + type, "22003");
    }
}
