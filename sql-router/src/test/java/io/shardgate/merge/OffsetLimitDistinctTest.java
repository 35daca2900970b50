package io.shardgate.merge;

import static io.shardgate.merge.TestCursor.firstColumn;
import static io.shardgate.merge.TestCursor.ints;
import static io.shardgate.merge.TestCursor.merge;
import static io.shardgate.merge.TestCursor.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OffsetLimitDistinctTest {

  private static RowCursor[] threeShards() {
    return new RowCursor[] {ints(1, 4, 7), ints(2, 5, 8), ints(3, 6, 9)};
  }

  static Stream<Arguments> offsetLimitCases() {
    return Stream.of(
        Arguments.of(0L, 3L, List.of(1, 2, 3)),
        Arguments.of(2L, 3L, List.of(3, 4, 5)),
        Arguments.of(7L, 5L, List.of(8, 9)),
        Arguments.of(9L, 5L, List.of()),
        Arguments.of(100L, 5L, List.of()),
        Arguments.of(4L, -1L, List.of(5, 6, 7, 8, 9)),
        Arguments.of(0L, 0L, List.of()),
        Arguments.of(0L, -1L, List.of(1, 2, 3, 4, 5, 6, 7, 8, 9)));
  }

  @ParameterizedTest(name = "offset {0} limit {1}")
  @MethodSource("offsetLimitCases")
  void sortedOffsetLimit(long offset, long limit, List<Integer> expected) throws SQLException {
    MergeSpec spec = MergeSpec.sorted(1, SortKey.asc(0)).withOffsetLimit(offset, limit);
    assertEquals(expected, firstColumn(merge(spec, threeShards())));
  }

  @ParameterizedTest(name = "offset {0} limit {1}")
  @MethodSource("offsetLimitCases")
  void concatOffsetLimit(long offset, long limit, List<Integer> sortedExpected) throws SQLException {
    // concatenation order is shard order: 1 4 7 2 5 8 3 6 9
    List<Integer> concat = List.of(1, 4, 7, 2, 5, 8, 3, 6, 9);
    int from = (int) Math.min(offset, concat.size());
    int to = limit < 0 ? concat.size() : (int) Math.min(concat.size(), offset + limit);
    List<Integer> expected = concat.subList(from, Math.max(from, to));
    assertEquals(expected, firstColumn(merge(MergeSpec.concat(1).withOffsetLimit(offset, limit), threeShards())));
    assertEquals(sortedExpected.size(), expected.size());
  }

  private static TestCursor[] bigShards(int shards, int rowsEach) {
    TestCursor[] out = new TestCursor[shards];
    for (int s = 0; s < shards; s++) {
      List<Object[]> rows = new ArrayList<>();
      for (int i = 0; i < rowsEach; i++) {
        rows.add(new Object[] {(long) i * shards + s});
      }
      out[s] = new TestCursor(1, rows);
    }
    return out;
  }

  private static int totalNextCalls(TestCursor[] shards) {
    return Arrays.stream(shards).mapToInt(s -> s.nextCalls).sum();
  }

  @Test
  void heapMergeStopsReadingShardsOnceTheLimitIsReached() throws SQLException {
    TestCursor[] shards = bigShards(4, 10_000);
    List<Object> rows = firstColumn(merge(MergeSpec.sorted(1, SortKey.asc(0)).withOffsetLimit(3, 5), shards));
    assertEquals(List.of(3L, 4L, 5L, 6L, 7L), rows);
    // one priming read per shard, then one refill per row handed out except the last
    assertTrue(totalNextCalls(shards) <= 4 + 3 + 5, "shard reads: " + totalNextCalls(shards));
  }

  @Test
  void concatStopsReadingShardsOnceTheLimitIsReached() throws SQLException {
    TestCursor[] shards = bigShards(3, 10_000);
    List<Object> rows = firstColumn(merge(MergeSpec.concat(1).withOffsetLimit(2, 4), shards));
    assertEquals(List.of(6L, 9L, 12L, 15L), rows);
    assertEquals(6, shards[0].nextCalls);
    assertEquals(0, shards[1].nextCalls);
    assertEquals(0, shards[2].nextCalls);
  }

  @Test
  void limitZeroReadsNothing() throws SQLException {
    TestCursor[] shards = bigShards(3, 10);
    assertEquals(List.of(), merge(MergeSpec.sorted(1, SortKey.asc(0)).withOffsetLimit(5, 0), shards));
    assertEquals(0, totalNextCalls(shards));
  }

  @Test
  void distinctAcrossShardsKeepsFirstOccurrence() throws SQLException {
    RowCursor s0 = TestCursor.of(2, row("a", 1), row("b", 2), row("c", 3));
    RowCursor s1 = TestCursor.of(2, row("b", 10), row("d", 11));
    RowCursor s2 = TestCursor.of(2, row("a", 20), row("c", 21), row("e", 22));
    // only column 0 is visible: DISTINCT looks at it alone; column 1 is a hidden sort column
    List<Object> rows = firstColumn(merge(MergeSpec.concat(1).withDistinct(true), s0, s1, s2));
    assertEquals(List.of("a", "b", "c", "d", "e"), rows);
  }

  @Test
  void distinctTreatsNullsAndEqualNumbersOfDifferentTypesAsDuplicates() throws SQLException {
    RowCursor s0 = TestCursor.of(2, row(null, 1), row(1, 2L));
    RowCursor s1 = TestCursor.of(2, row(null, 1L), row(1L, new BigDecimal("2.00")), row(1, 3));
    List<List<Object>> rows = merge(MergeSpec.concat(2).withDistinct(true), s0, s1);
    assertEquals(List.of(Arrays.asList(null, 1), List.of(1, 2L), List.of(1, 3)), rows);
  }

  @Test
  void distinctWithSortAndLimit() throws SQLException {
    RowCursor s0 = ints(1, 1, 2, 3, 5);
    RowCursor s1 = ints(1, 2, 2, 4, 5);
    MergeSpec spec = MergeSpec.sorted(1, SortKey.asc(0)).withDistinct(true).withOffsetLimit(1, 3);
    assertEquals(List.of(2, 3, 4), firstColumn(merge(spec, s0, s1)));
  }

  @Test
  void limitOverManyShardsWithOffsetBeyondSomeShards() throws SQLException {
    RowCursor[] shards = IntStream.range(0, 8).mapToObj(s -> s % 2 == 0 ? ints() : ints(s + 10, s))
        .toArray(RowCursor[]::new);
    MergeSpec spec = MergeSpec.sorted(1, SortKey.desc(0)).withOffsetLimit(2, 3);
    // values: 17 15 13 11 7 5 3 1
    assertEquals(List.of(13, 11, 7), firstColumn(merge(spec, shards)));
  }
}
