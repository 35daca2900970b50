package io.shardgate.merge;

import static io.shardgate.merge.TestCursor.firstColumn;
import static io.shardgate.merge.TestCursor.ints;
import static io.shardgate.merge.TestCursor.merge;
import static io.shardgate.merge.TestCursor.row;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HeapMergeTest {

  static Stream<Arguments> singleKeyCases() {
    return Stream.of(
        Arguments.of("interleaved", SortKey.asc(0),
            List.of(List.of(1, 4, 7), List.of(2, 5, 8), List.of(3, 6, 9)), List.of(1, 2, 3, 4, 5, 6, 7, 8, 9)),
        Arguments.of("ties across shards", SortKey.asc(0),
            List.of(List.of(1, 2, 2), List.of(2, 2, 3), List.of(1, 3)), List.of(1, 1, 2, 2, 2, 2, 3, 3)),
        Arguments.of("empty shards", SortKey.asc(0),
            List.of(List.of(), List.of(5, 6), List.of(), List.of(1)), List.of(1, 5, 6)),
        Arguments.of("all shards empty", SortKey.asc(0), List.of(List.of(), List.of()), List.of()),
        Arguments.of("one shard", SortKey.asc(0), List.of(List.of(1, 2, 3)), List.of(1, 2, 3)),
        Arguments.of("descending", SortKey.desc(0),
            List.of(List.of(9, 5, 1), List.of(8, 2), List.of(7, 6, 3)), List.of(9, 8, 7, 6, 5, 3, 2, 1)),
        Arguments.of("one shard much longer", SortKey.asc(0),
            List.of(List.of(1, 2, 3, 4, 5, 6), List.of(3)), List.of(1, 2, 3, 3, 4, 5, 6)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("singleKeyCases")
  void mergesSortedShards(String name, SortKey key, List<List<Integer>> shards, List<Integer> expected)
      throws SQLException {
    RowCursor[] cursors = shards.stream().map(s -> ints(s.toArray(new Integer[0]))).toArray(RowCursor[]::new);
    assertEquals(expected, firstColumn(merge(MergeSpec.sorted(1, key), cursors)));
  }

  static Stream<Arguments> nullCases() {
    return Stream.of(
        Arguments.of(new SortKey(0, false, false), Arrays.asList(1, 2, 3, null, null)),
        Arguments.of(new SortKey(0, false, true), Arrays.asList(null, null, 1, 2, 3)),
        Arguments.of(new SortKey(0, true, true), Arrays.asList(null, null, 3, 2, 1)),
        Arguments.of(new SortKey(0, true, false), Arrays.asList(3, 2, 1, null, null)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nullCases")
  void placesNulls(SortKey key, List<Integer> expected) throws SQLException {
    // each shard sorted by the key, as the shard's database would
    List<Integer> a = new ArrayList<>(Arrays.asList(1, null, 3));
    List<Integer> b = new ArrayList<>(Arrays.asList(null, 2));
    Comparator<Integer> order = Comparator.nullsLast(Comparator.<Integer>naturalOrder());
    if (key.descending()) {
      order = Comparator.nullsLast(Comparator.<Integer>reverseOrder());
    }
    if (key.nullsFirst()) {
      order = key.descending() ? Comparator.nullsFirst(Comparator.<Integer>reverseOrder())
          : Comparator.nullsFirst(Comparator.<Integer>naturalOrder());
    }
    a.sort(order);
    b.sort(order);
    assertEquals(expected, firstColumn(merge(MergeSpec.sorted(1, key),
        ints(a.toArray(new Integer[0])), ints(b.toArray(new Integer[0])))));
  }

  @Test
  void tiesComeOutInShardOrderAndHiddenColumnsAreDropped() throws SQLException {
    // visible: name; hidden sort key: column 1
    RowCursor s0 = TestCursor.of(2, row("a0", 1), row("b0", 2));
    RowCursor s1 = TestCursor.of(2, row("a1", 1), row("b1", 2));
    RowCursor s2 = TestCursor.of(2, row("a2", 1));
    List<List<Object>> rows = merge(MergeSpec.sorted(1, SortKey.asc(1)), s0, s1, s2);
    assertEquals(List.of(List.of("a0"), List.of("a1"), List.of("a2"), List.of("b0"), List.of("b1")), rows);
  }

  @Test
  void multipleKeysMixedDirections() throws SQLException {
    RowCursor s0 = TestCursor.of(2, row("x", 3), row("x", 1), row("y", 2));
    RowCursor s1 = TestCursor.of(2, row("w", 9), row("x", 2), row("y", 5));
    List<List<Object>> rows = merge(MergeSpec.sorted(2, SortKey.asc(0), SortKey.desc(1)), s0, s1);
    assertEquals(List.of(List.of("w", 9), List.of("x", 3), List.of("x", 2), List.of("x", 1),
        List.of("y", 5), List.of("y", 2)), rows);
  }

  @Test
  void mixedNumericTypesAcrossShards() throws SQLException {
    RowCursor s0 = TestCursor.of(1, row(1L), row(new java.math.BigDecimal("2.5")), row(4));
    RowCursor s1 = TestCursor.of(1, row(1.5d), row(3.0f), row(new java.math.BigInteger("5")));
    List<Object> merged = firstColumn(merge(MergeSpec.sorted(1, SortKey.asc(0)), s0, s1));
    assertEquals(List.of(1L, 1.5d, new java.math.BigDecimal("2.5"), 3.0f, 4, new java.math.BigInteger("5")),
        merged);
  }

  @Test
  void randomShardsMatchAStableSortOfTheirConcatenation() throws SQLException {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      int shardCount = 1 + random.nextInt(6);
      boolean desc = random.nextBoolean();
      boolean nullsFirst = random.nextBoolean();
      SortKey key = new SortKey(0, desc, nullsFirst);
      Comparator<Object[]> order = (x, y) -> {
        try {
          return ValueComparator.compare(x[0], y[0], key);
        } catch (SQLException e) {
          throw new AssertionError(e);
        }
      };
      List<Object[]> all = new ArrayList<>();
      RowCursor[] shards = new RowCursor[shardCount];
      for (int s = 0; s < shardCount; s++) {
        List<Object[]> rows = new ArrayList<>();
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
          Integer v = random.nextInt(8) == 0 ? null : random.nextInt(10);
          rows.add(new Object[] {v, "s" + s + "r" + i});
        }
        rows.sort(order);
        all.addAll(rows);
        shards[s] = new TestCursor(2, rows);
      }
      all.sort(order); // stable: ties keep shard order, which is what the merge promises
      List<List<Object>> expected = new ArrayList<>();
      all.forEach(r -> expected.add(Arrays.asList(r)));
      assertEquals(expected, merge(MergeSpec.sorted(2, key), shards), "round " + round);
    }
  }
}
