package io.shardgate.merge;

import static io.shardgate.merge.AggregateColumn.avg;
import static io.shardgate.merge.AggregateColumn.count;
import static io.shardgate.merge.AggregateColumn.max;
import static io.shardgate.merge.AggregateColumn.min;
import static io.shardgate.merge.AggregateColumn.sum;
import static io.shardgate.merge.TestCursor.merge;
import static io.shardgate.merge.TestCursor.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AggregateTest {

  /** SELECT COUNT(*), SUM(x), MIN(x), MAX(x), AVG(x) per shard, AVG rewritten to SUM(x) + hidden COUNT(x). */
  private static final MergeSpec GLOBAL = MergeSpec.aggregate(5, List.of(),
      count(0), sum(1), min(2), max(3), avg(4, 5));

  @Test
  void globalAggregatesAcrossShards() throws SQLException {
    RowCursor s0 = TestCursor.of(6, row(3L, 10L, 1, 7, 10L, 3L));
    RowCursor s1 = TestCursor.of(6, row(2L, 5L, -4, 3, 5L, 2L));
    RowCursor s2 = TestCursor.of(6, row(0L, null, null, null, null, 0L));
    assertEquals(List.of(List.of(5L, 15L, -4, 7, new BigDecimal("3.0000000000000000"))), merge(GLOBAL, s0, s1, s2));
  }

  @Test
  void globalAggregateOverNoShardRowsIsOneRowLikeSql() throws SQLException {
    assertEquals(List.of(Arrays.asList(0L, null, null, null, null)),
        merge(GLOBAL, TestCursor.of(6), TestCursor.of(6)));
    assertEquals(List.of(Arrays.asList(0L, null, null, null, null)), merge(GLOBAL));
  }

  @Test
  void globalAggregateOfAllNullShards() throws SQLException {
    RowCursor s0 = TestCursor.of(6, row(0L, null, null, null, null, 0L));
    RowCursor s1 = TestCursor.of(6, row(0L, null, null, null, null, 0L));
    assertEquals(List.of(Arrays.asList(0L, null, null, null, null)), merge(GLOBAL, s0, s1));
  }

  static Stream<Arguments> sumTypes() {
    return Stream.of(
        Arguments.of(List.of(1, 2, 3), 6L),
        Arguments.of(List.of(1L, (short) 2, 3), 6L),
        Arguments.of(List.of(Long.MAX_VALUE, 1L), new BigDecimal(Long.MAX_VALUE).add(BigDecimal.ONE)),
        Arguments.of(List.of(Long.MIN_VALUE, -1L), new BigDecimal(Long.MIN_VALUE).subtract(BigDecimal.ONE)),
        Arguments.of(List.of(new BigDecimal("1.10"), new BigDecimal("2.205")), new BigDecimal("3.305")),
        Arguments.of(List.of(5L, new BigDecimal("0.5")), new BigDecimal("5.5")),
        Arguments.of(List.of(new BigInteger("100000000000000000000"), 1L), new BigDecimal("100000000000000000001")),
        Arguments.of(List.of(1.5d, 2.25d), 3.75d),
        Arguments.of(List.of(1.5f, 2L, new BigDecimal("0.25")), 3.75d),
        Arguments.of(Arrays.asList(null, 4L, null), 4L),
        Arguments.of(Arrays.asList(null, null), null));
  }

  @ParameterizedTest(name = "SUM {0} = {1}")
  @MethodSource("sumTypes")
  void sumKeepsASensibleType(List<Object> partials, Object expected) throws SQLException {
    RowCursor[] shards = partials.stream().map(v -> TestCursor.of(1, row(v))).toArray(RowCursor[]::new);
    List<List<Object>> rows = merge(MergeSpec.aggregate(1, List.of(), sum(0)), shards);
    assertEquals(1, rows.size());
    assertEquals(expected, rows.get(0).get(0));
  }

  static Stream<Arguments> avgCases() {
    return Stream.of(
        Arguments.of(List.of(row(10L, 4L), row(20L, 4L)), new BigDecimal("3.7500000000000000")),
        Arguments.of(List.of(row(100L, 1L), row(100L, 1L)), new BigDecimal("100.0000000000000000")),
        Arguments.of(List.<Object[]>of(row(10L, 3L)), new BigDecimal("3.3333333333333333")),
        Arguments.of(List.of(row(new BigDecimal("1.50"), 1L), row(new BigDecimal("2.50"), 1L)),
            new BigDecimal("2.0000000000000000")),
        Arguments.of(List.of(row(1.5d, 1L), row(2.0d, 2L)), 3.5d / 3),
        Arguments.of(List.of(row(null, 0L), row(null, 0L)), null),
        Arguments.of(List.of(row(null, 0L), row(6L, 2)), new BigDecimal("3.0000000000000000")),
        Arguments.of(List.<Object[]>of(row(-7L, 2L)), new BigDecimal("-3.5000000000000000")));
  }

  @ParameterizedTest(name = "AVG {1}")
  @MethodSource("avgCases")
  void avgIsTotalSumOverTotalCountAsPostgresComputesIt(List<Object[]> partials, Object expected) throws SQLException {
    RowCursor[] shards = partials.stream().map(r -> TestCursor.of(2, r)).toArray(RowCursor[]::new);
    List<List<Object>> rows = merge(MergeSpec.aggregate(1, List.of(), avg(0, 1)), shards);
    assertEquals(Arrays.asList((Object) expected), rows.get(0));
    if (expected instanceof BigDecimal d) {
      // PostgreSQL's scale, digit for digit: avg(numeric) of 10 and 20 over 8 rows is 3.7500000000000000
      assertEquals(d.toPlainString(), ((BigDecimal) rows.get(0).get(0)).toString(), "no exponent notation");
    }
  }

  /** SELECT dept, COUNT(*), SUM(sal), MIN(d), MAX(d), AVG(sal) ... GROUP BY dept, AVG hidden count in 6. */
  private static final MergeSpec GROUPED = MergeSpec.aggregate(6, List.of(0),
      count(1), sum(2), min(3), max(4), avg(5, 6));

  private static RowCursor[] departments() {
    return new RowCursor[] {
        TestCursor.of(7,
            row("eng", 2L, 300L, LocalDate.of(2020, 1, 5), LocalDate.of(2021, 3, 1), 300L, 2L),
            row("ops", 1L, 50L, LocalDate.of(2019, 6, 1), LocalDate.of(2019, 6, 1), 50L, 1L)),
        TestCursor.of(7,
            row("sales", 3L, 90L, LocalDate.of(2018, 2, 2), LocalDate.of(2022, 2, 2), 90L, 3L),
            row("eng", 1L, 100L, LocalDate.of(2017, 7, 7), LocalDate.of(2017, 7, 7), 100L, 1L)),
        TestCursor.of(7),
        TestCursor.of(7, row("ops", 2L, 70L, LocalDate.of(2020, 1, 1), LocalDate.of(2023, 1, 1), 70L, 2L))};
  }

  @Test
  void groupedAggregatesInFirstSeenOrder() throws SQLException {
    assertEquals(List.of(
        List.of("eng", 3L, 400L, LocalDate.of(2017, 7, 7), LocalDate.of(2021, 3, 1),
            new BigDecimal("133.3333333333333333")),
        List.of("ops", 3L, 120L, LocalDate.of(2019, 6, 1), LocalDate.of(2023, 1, 1), new BigDecimal("40.0000000000000000")),
        List.of("sales", 3L, 90L, LocalDate.of(2018, 2, 2), LocalDate.of(2022, 2, 2), new BigDecimal("30.0000000000000000"))),
        merge(GROUPED, departments()));
  }

  @Test
  void groupedWithHavingAndSortOverAggregateColumns() throws SQLException {
    // HAVING SUM(sal) > 100 ORDER BY SUM(sal) DESC
    MergeSpec spec = GROUPED.withHaving(r -> ((Long) r[2]) > 100).withSort(SortKey.desc(2));
    List<List<Object>> rows = merge(spec, departments());
    assertEquals(List.of("eng", "ops"), TestCursor.firstColumn(rows));
    // ORDER BY COUNT(*) DESC, dept DESC: all counts tie at 3
    List<List<Object>> byCount = merge(GROUPED.withSort(SortKey.desc(1), SortKey.desc(0)), departments());
    assertEquals(List.of("sales", "ops", "eng"), TestCursor.firstColumn(byCount));
  }

  @Test
  void havingSeesHiddenColumnsAndTheRecombinedAverage() throws SQLException {
    // HAVING AVG(sal) >= 40 AND COUNT(sal) > 2 (hidden count column 6 holds the total count)
    MergeSpec spec = GROUPED.withHaving(r -> ((BigDecimal) r[5]).compareTo(new BigDecimal(40)) >= 0
        && ((Long) r[6]) > 2).withSort(SortKey.asc(0));
    assertEquals(List.of("eng", "ops"), TestCursor.firstColumn(merge(spec, departments())));
  }

  @Test
  void havingOnGlobalAggregateCanRemoveTheOnlyRow() throws SQLException {
    MergeSpec spec = MergeSpec.aggregate(1, List.of(), count(0)).withHaving(r -> ((Long) r[0]) > 10);
    assertEquals(List.of(), merge(spec, TestCursor.of(1, row(3L)), TestCursor.of(1, row(4L))));
  }

  @Test
  void groupedOverNoRowsIsEmpty() throws SQLException {
    assertEquals(List.of(), merge(GROUPED, TestCursor.of(7), TestCursor.of(7)));
  }

  @Test
  void groupKeysMatchAcrossNumericTypesAndNulls() throws SQLException {
    MergeSpec spec = MergeSpec.aggregate(2, List.of(0), count(1)).withSort(new SortKey(0, false, true));
    RowCursor s0 = TestCursor.of(2, row(1, 2L), row(null, 1L));
    RowCursor s1 = TestCursor.of(2, row(1L, 3L), row(new BigDecimal("1.0"), 4L), row(null, 5L), row(2, 1));
    assertEquals(List.of(Arrays.asList(null, 6L), List.of(1, 9L), List.of(2, 1L)), merge(spec, s0, s1));
  }

  @Test
  void groupByWithoutAggregatesActsLikeDistinctOnTheKeys() throws SQLException {
    MergeSpec spec = new MergeSpec(1, List.of(SortKey.asc(0)), 0, -1, List.of(0), List.of(), false, null);
    assertEquals(List.of("a", "b", "c"),
        TestCursor.firstColumn(merge(spec, TestCursor.of(1, row("c"), row("a")), TestCursor.of(1, row("b"), row("a")))));
  }

  @Test
  void distinctOffsetLimitApplyAfterAggregation() throws SQLException {
    // SELECT DISTINCT COUNT(*) ... GROUP BY k ORDER BY 1 LIMIT 2 OFFSET 1; group key hidden in column 1
    MergeSpec spec = new MergeSpec(1, List.of(SortKey.asc(0)), 1, 2, List.of(1), List.of(count(0)), true, null);
    RowCursor s0 = TestCursor.of(2, row(1L, "a"), row(2L, "b"), row(5L, "c"));
    RowCursor s1 = TestCursor.of(2, row(1L, "a"), row(2L, "d"), row(3L, "e"));
    // counts: a=2 b=2 c=5 d=2 e=3 -> sorted 2 2 2 3 5 -> distinct 2 3 5 -> offset 1 limit 2 -> 3 5
    assertEquals(List.of(3L, 5L), TestCursor.firstColumn(merge(spec, s0, s1)));
  }

  @Test
  void nonAggregateColumnsTakeTheFirstRowsValue() throws SQLException {
    MergeSpec spec = MergeSpec.aggregate(3, List.of(0), sum(2));
    RowCursor s0 = TestCursor.of(3, row("k", "first", 1));
    RowCursor s1 = TestCursor.of(3, row("k", "second", 2));
    assertEquals(List.of(List.of("k", "first", 3L)), merge(spec, s0, s1));
  }

  @Test
  void minMaxOverIncomparableTypesNamesTheColumn() {
    MergeSpec spec = MergeSpec.aggregate(1, List.of(), max(0));
    SQLException e = assertThrows(SQLException.class,
        () -> merge(spec, TestCursor.of(1, row(1)), TestCursor.of(1, row("one"))));
    assertTrue(e.getMessage().contains("column 0"), e.getMessage());
  }

  @Test
  void sumOverNonNumbersFails() {
    MergeSpec spec = MergeSpec.aggregate(1, List.of(), sum(0));
    SQLException e = assertThrows(SQLException.class, () -> merge(spec, TestCursor.of(1, row("x"))));
    assertTrue(e.getMessage().contains("SUM in column 0"), e.getMessage());
  }

  @Test
  void sortOverIncomparableAggregatesFailsWithSqlException() {
    MergeSpec spec = MergeSpec.aggregate(2, List.of(0), min(1)).withSort(SortKey.asc(1));
    SQLException e = assertThrows(SQLException.class,
        () -> merge(spec, TestCursor.of(2, row("a", 1)), TestCursor.of(2, row("b", "x"))));
    assertTrue(e.getMessage().contains("column 1"), e.getMessage());
  }
}
