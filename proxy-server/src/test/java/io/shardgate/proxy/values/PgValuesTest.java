package io.shardgate.proxy.values;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PgValuesTest {
    private static Object text(String s, int type) {
        return PgValues.decode(s.getBytes(StandardCharsets.UTF_8), 0, type);
    }

    @Test
    void textDecoding() {
        assertEquals(42, text("42", PgTypes.INT4));
        assertEquals(42L, text("42", PgTypes.INT8));
        assertEquals(true, text("t", PgTypes.BOOL));
        assertEquals(new BigDecimal("12.50"), text("12.50", PgTypes.NUMERIC));
        assertEquals(LocalDate.of(2024, 2, 29), text("2024-02-29", PgTypes.DATE));
        assertEquals(LocalDateTime.of(2024, 1, 1, 10, 0, 0, 123_000_000), text("2024-01-01 10:00:00.123", PgTypes.TIMESTAMP));
        assertEquals(OffsetDateTime.of(2024, 1, 1, 10, 0, 0, 0, ZoneOffset.ofHours(2)),
                text("2024-01-01 10:00:00+02", PgTypes.TIMESTAMPTZ));
        assertEquals(OffsetDateTime.of(2024, 1, 1, 10, 0, 0, 0, ZoneOffset.ofHoursMinutes(5, 30)),
                text("2024-01-01 10:00:00+05:30", PgTypes.TIMESTAMPTZ));
        assertEquals(7L, text("7", PgTypes.UNSPECIFIED));
        assertEquals("abc", text("abc", PgTypes.UNSPECIFIED));
        assertEquals(-42L, text("-42", PgTypes.UNSPECIFIED));
        assertEquals(123456789012345678L, text("123456789012345678", PgTypes.UNSPECIFIED));
        for (String notALong : new String[] {"1234567890123456789", "-", "", "+5", "1.5", " 7", "7a", "\u0663"}) {
            assertEquals(notALong, text(notALong, PgTypes.UNSPECIFIED), "an untyped '" + notALong + "' stays text");
        }
        assertEquals("infinity", text("infinity", PgTypes.DATE), "unparseable values stay text");
    }

    @Test
    void textEncodingMatchesPostgres() {
        assertEquals("2024-01-01 10:00:00", PgValues.encodeText(LocalDateTime.of(2024, 1, 1, 10, 0)));
        assertEquals("2024-01-01 10:00:00.5", PgValues.encodeText(LocalDateTime.of(2024, 1, 1, 10, 0, 0, 500_000_000)));
        assertEquals("2024-01-01 10:00:00+00", PgValues.encodeText(OffsetDateTime.of(2024, 1, 1, 10, 0, 0, 0, ZoneOffset.UTC)));
        assertEquals("t", PgValues.encodeText(true));
        assertEquals("30.4", PgValues.encodeText(new BigDecimal("30.4")));
        assertEquals("100000", PgValues.encodeText(1e5));
        assertEquals("\\x0aff", PgValues.encodeText(new byte[] {10, -1}));
    }

    @Test
    void binaryRoundTrips() {
        Object[][] cases = {
                {PgTypes.INT2, 7}, {PgTypes.INT4, -5}, {PgTypes.INT8, 1L << 40}, {PgTypes.FLOAT8, 2.5},
                {PgTypes.BOOL, true}, {PgTypes.UUID, UUID.fromString("123e4567-e89b-12d3-a456-426614174000")},
                {PgTypes.DATE, LocalDate.of(1999, 12, 31)}, {PgTypes.TIMESTAMP, LocalDateTime.of(2030, 5, 6, 7, 8, 9, 123_456_000)},
                {PgTypes.NUMERIC, new BigDecimal("0")}, {PgTypes.NUMERIC, new BigDecimal("12345.6789")},
                {PgTypes.NUMERIC, new BigDecimal("-0.00012")}, {PgTypes.NUMERIC, new BigDecimal("100000000")},
                {PgTypes.NUMERIC, new BigDecimal("75.00")},
        };
        for (Object[] c : cases) {
            int type = (Integer) c[0];
            byte[] b = PgValues.encodeBinary(c[1], type);
            assertEquals(c[1], PgValues.decode(b, 1, type), c[1] + " as " + type);
        }
    }

    @Test
    void numericBinaryLayout() {
        // 12345.6789: ndigits 3, weight 1, sign +, dscale 4, digits 1 2345 6789
        assertArrayEquals(new byte[] {0, 3, 0, 1, 0, 0, 0, 4, 0, 1, 0x09, 0x29, 0x1a, (byte) 0x85},
                PgValues.encodeBinary(new BigDecimal("12345.6789"), PgTypes.NUMERIC));
    }
}
