package io.shardgate.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Date;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ValueComparatorTest {

  static Timestamp ts(long millis, int nanos) {
    Timestamp t = new Timestamp(millis);
    t.setNanos(nanos);
    return t;
  }

  /** a, b, expected sign of compare(a, b). */
  static Stream<Arguments> ordered() {
    return Stream.of(
        Arguments.of(1, 2L, -1),
        Arguments.of(2L, 2, 0),
        Arguments.of((short) 3, new BigDecimal("2.99"), 1),
        Arguments.of(new BigDecimal("2.50"), new BigDecimal("2.5"), 0),
        Arguments.of(new BigInteger("9223372036854775808"), Long.MAX_VALUE, 1),
        Arguments.of(1.5d, new BigDecimal("1.5"), 0),
        Arguments.of(2.5f, 3L, -1),
        Arguments.of(-0.0d, 0.0d, 0),
        Arguments.of(Double.NaN, Double.POSITIVE_INFINITY, 1),
        Arguments.of(Double.NaN, Double.NaN, 0),
        Arguments.of("B", "a", -1),
        Arguments.of("abc", "ab", 1),
        Arguments.of(false, true, -1),
        Arguments.of(new byte[] {(byte) 0xff}, new byte[] {0x01}, 1),
        Arguments.of(new byte[] {1, 2}, new byte[] {1, 2, 0}, -1),
        Arguments.of(new byte[] {1, 2}, new byte[] {1, 2}, 0),
        Arguments.of(UUID.fromString("80000000-0000-0000-0000-000000000000"),
            UUID.fromString("7fffffff-ffff-ffff-ffff-ffffffffffff"), 1),
        Arguments.of(UUID.fromString("00000000-0000-0000-8000-000000000000"),
            UUID.fromString("00000000-0000-0000-0000-000000000001"), 1),
        Arguments.of(Date.valueOf("2024-01-01"), Date.valueOf("2024-01-02"), -1),
        Arguments.of(ts(1000, 5), ts(1000, 6), -1),
        Arguments.of(ts(1000, 0), new java.util.Date(1000), 0),
        Arguments.of(LocalDate.of(2024, 2, 1), LocalDate.of(2024, 1, 31), 1),
        Arguments.of(LocalDateTime.of(2024, 1, 1, 0, 0), LocalDateTime.of(2024, 1, 1, 0, 1), -1),
        Arguments.of(OffsetDateTime.of(2024, 1, 1, 12, 0, 0, 0, ZoneOffset.ofHours(2)),
            OffsetDateTime.of(2024, 1, 1, 10, 0, 0, 0, ZoneOffset.UTC), 0),
        Arguments.of(OffsetDateTime.of(2024, 1, 1, 12, 0, 0, 0, ZoneOffset.ofHours(2)),
            OffsetDateTime.of(2024, 1, 1, 11, 0, 0, 0, ZoneOffset.UTC), -1),
        Arguments.of(Instant.ofEpochSecond(5), Instant.ofEpochSecond(4), 1));
  }

  @ParameterizedTest(name = "{0} vs {1}")
  @MethodSource("ordered")
  void comparesNaturally(Object a, Object b, int expected) throws SQLException {
    assertEquals(expected, ValueComparator.compareNonNull(a, b, 0));
    assertEquals(-expected, ValueComparator.compareNonNull(b, a, 0));
    assertEquals(expected == 0, ValueComparator.equalValues(a, b));
    if (expected == 0) {
      assertEquals(ValueComparator.hash(a), ValueComparator.hash(b), "hash consistent with equality");
    }
  }

  @Test
  void nullPlacementAndDirection() throws SQLException {
    assertEquals(-1, ValueComparator.compare(null, 1, true, 0));
    assertEquals(1, ValueComparator.compare(null, 1, false, 0));
    assertEquals(0, ValueComparator.compare(null, null, false, 0));
    assertEquals(1, ValueComparator.compare(1, 2, SortKey.desc(0)));
    assertEquals(-1, ValueComparator.compare(null, 2, SortKey.desc(0)), "DESC defaults to NULLS FIRST");
    assertEquals(1, ValueComparator.compare(null, 2, SortKey.asc(0)), "ASC defaults to NULLS LAST");
    assertTrue(ValueComparator.equalValues(null, null));
    assertFalse(ValueComparator.equalValues(null, 0));
  }

  static Stream<Arguments> incomparable() {
    return Stream.of(Arguments.of(1, "1"), Arguments.of(true, 1), Arguments.of(new byte[0], "x"),
        Arguments.of(LocalDate.of(2024, 1, 1), Date.valueOf("2024-01-01")),
        Arguments.of(UUID.randomUUID(), "x"), Arguments.of(new Object(), new Object()));
  }

  @ParameterizedTest(name = "{0} vs {1}")
  @MethodSource("incomparable")
  void incomparableTypesFailNamingTheColumn(Object a, Object b) {
    SQLException e = assertThrows(SQLException.class, () -> ValueComparator.compareNonNull(a, b, 7));
    assertTrue(e.getMessage().contains("in column 7"), e.getMessage());
    assertTrue(e.getMessage().contains(a.getClass().getName()), e.getMessage());
    assertFalse(ValueComparator.equalValues(a, b));
  }
}
