package io.shardgate.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Values of range-rule keys, in one comparable form per key type: integers and decimals as BigDecimal, text as
 * String, dates and timestamps as UTC LocalDateTime (a date is its midnight; an offset is converted to UTC).
 * Config bounds and the values a statement binds go through the same conversion, so they always compare.
 */
public final class RangeKeys {
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}.*");
    private static final DateTimeFormatter TIMESTAMP_FORMAT = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':').appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2).optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter();

    private RangeKeys() {
    }

    static RuleConfig.KeyType infer(JsonNode v) {
        if (v.isIntegralNumber()) {
            return RuleConfig.KeyType.INTEGER;
        }
        if (v.isNumber()) {
            return RuleConfig.KeyType.DECIMAL;
        }
        String s = v.asText().trim();
        if (INTEGER.matcher(s).matches()) {
            return RuleConfig.KeyType.INTEGER;
        }
        if (DECIMAL.matcher(s).matches()) {
            return RuleConfig.KeyType.DECIMAL;
        }
        if (DATE.matcher(s).matches()) {
            return RuleConfig.KeyType.DATE;
        }
        if (TIMESTAMP.matcher(s).matches()) {
            return RuleConfig.KeyType.TIMESTAMP;
        }
        return RuleConfig.KeyType.TEXT;
    }

    static RuleConfig.KeyType widen(RuleConfig.KeyType a, RuleConfig.KeyType b) {
        if (a == b) {
            return a;
        }
        if (isNumeric(a) && isNumeric(b)) {
            return RuleConfig.KeyType.DECIMAL;
        }
        if (isTime(a) && isTime(b)) {
            return RuleConfig.KeyType.TIMESTAMP;
        }
        return RuleConfig.KeyType.TEXT;
    }

    private static boolean isNumeric(RuleConfig.KeyType t) {
        return t == RuleConfig.KeyType.INTEGER || t == RuleConfig.KeyType.DECIMAL;
    }

    private static boolean isTime(RuleConfig.KeyType t) {
        return t == RuleConfig.KeyType.DATE || t == RuleConfig.KeyType.TIMESTAMP;
    }

    static Comparable<?> parse(String text, RuleConfig.KeyType type, String path, List<String> problems) {
        try {
            return toKey(text, type);
        } catch (IllegalArgumentException e) {
            problems.add(path + ": '" + text + "' is not a valid " + type.name().toLowerCase() + " bound");
            return null;
        }
    }

    /**
     * Converts a bound or a bound statement value to the comparable form of {@code type}.
     *
     * @throws IllegalArgumentException when the value cannot be read as that type
     */
    public static Comparable<?> toKey(Object value, RuleConfig.KeyType type) {
        try {
            return switch (type) {
                case INTEGER, DECIMAL -> decimal(value);
                case TEXT -> value.toString();
                case DATE, TIMESTAMP -> timestamp(value);
            };
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + value + "' is not a " + type.name().toLowerCase(), e);
        }
    }

    private static BigDecimal decimal(Object v) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof BigInteger b) {
            return new BigDecimal(b);
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof Number n) {
            return BigDecimal.valueOf(n.doubleValue());
        }
        return new BigDecimal(v.toString().trim());
    }

    private static LocalDateTime timestamp(Object v) {
        if (v instanceof LocalDateTime t) {
            return t;
        }
        if (v instanceof LocalDate d) {
            return d.atStartOfDay();
        }
        if (v instanceof java.sql.Timestamp t) {
            return LocalDateTime.ofInstant(t.toInstant(), ZoneOffset.UTC);
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate().atStartOfDay();
        }
        if (v instanceof OffsetDateTime o) {
            return o.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        if (v instanceof ZonedDateTime z) {
            return z.withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        if (v instanceof Instant i) {
            return LocalDateTime.ofInstant(i, ZoneOffset.UTC);
        }
        if (v instanceof java.util.Date d) {
            return LocalDateTime.ofInstant(d.toInstant(), ZoneOffset.UTC);
        }
        String s = v.toString().trim();
        if (DATE.matcher(s).matches()) {
            return LocalDate.parse(s).atStartOfDay();
        }
        TemporalAccessor parsed = TIMESTAMP_FORMAT.parse(s);
        LocalDateTime local = LocalDateTime.of(LocalDate.from(parsed),
                java.time.LocalTime.of(parsed.get(ChronoField.HOUR_OF_DAY), parsed.get(ChronoField.MINUTE_OF_HOUR),
                        parsed.isSupported(ChronoField.SECOND_OF_MINUTE) ? parsed.get(ChronoField.SECOND_OF_MINUTE) : 0,
                        parsed.isSupported(ChronoField.NANO_OF_SECOND) ? parsed.get(ChronoField.NANO_OF_SECOND) : 0));
        if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
            return local.atOffset(ZoneOffset.ofTotalSeconds(parsed.get(ChronoField.OFFSET_SECONDS)))
                    .withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        return local;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static int compare(Object a, Object b) {
        return ((Comparable) a).compareTo(b);
    }
}
