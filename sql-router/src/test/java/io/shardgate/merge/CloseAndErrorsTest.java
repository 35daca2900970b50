package io.shardgate.merge;

import static io.shardgate.merge.TestCursor.ints;
import static io.shardgate.merge.TestCursor.row;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class CloseAndErrorsTest {

  static Stream<MergeSpec> specs() {
    return Stream.of(MergeSpec.concat(1), MergeSpec.sorted(1, SortKey.asc(0)),
        MergeSpec.concat(1).withDistinct(true).withOffsetLimit(1, 1),
        MergeSpec.aggregate(1, List.of(), AggregateColumn.sum(0)));
  }

  @ParameterizedTest
  @MethodSource("specs")
  void closeClosesEveryShard(MergeSpec spec) throws SQLException {
    TestCursor a = ints(1, 2);
    TestCursor b = ints(3);
    TestCursor c = ints();
    RowCursor merged = Merger.merge(List.of(a, b, c), spec);
    assertTrue(merged.next());
    merged.close();
    assertTrue(a.closed && b.closed && c.closed);
    merged.close(); // idempotent
  }

  @Test
  void closeClosesAllEvenWhenSomeFailFirstFailureWins() {
    TestCursor a = ints(1);
    TestCursor b = ints(2);
    TestCursor c = ints(3);
    TestCursor d = ints(4);
    SQLException first = new SQLException("b failed to close");
    RuntimeException second = new IllegalStateException("c failed to close");
    SQLException third = new SQLException("d failed to close");
    b.failOnClose = first;
    c.failOnClose = second;
    d.failOnClose = third;
    RowCursor merged = Merger.merge(List.of(a, b, c, d), MergeSpec.sorted(1, SortKey.asc(0)));
    SQLException thrown = assertThrows(SQLException.class, merged::close);
    assertSame(first, thrown);
    assertArrayEquals(new Throwable[] {second, third}, thrown.getSuppressed());
    assertTrue(a.closed && b.closed && c.closed && d.closed);
  }

  @Test
  void runtimeFailureOnCloseIsThrownWhenFirst() {
    TestCursor a = ints(1);
    TestCursor b = ints(2);
    RuntimeException boom = new IllegalStateException("boom");
    a.failOnClose = boom;
    RowCursor merged = Merger.merge(List.of(a, b), MergeSpec.concat(1));
    assertSame(boom, assertThrows(IllegalStateException.class, merged::close));
    assertTrue(b.closed);
  }

  @ParameterizedTest
  @MethodSource("specs")
  void shardErrorsSurfaceUnchanged(MergeSpec spec) throws SQLException {
    TestCursor a = ints(1, 2, 3);
    TestCursor b = ints(4, 5, 6);
    SQLException error = new SQLException("shard 0 lost its connection", "08006");
    a.failOnNext = error; // fails on its second next(), which every spec here reaches
    a.failAfterRows = 1;
    try (RowCursor merged = Merger.merge(List.of(a, b), spec)) {
      SQLException thrown = assertThrows(SQLException.class, () -> RowCursors.drain(merged));
      assertSame(error, thrown);
    }
    assertTrue(a.closed && b.closed);
  }

  @Test
  void shardsWithDifferentColumnCountsAreRejected() {
    RowCursor merged = Merger.merge(List.of(TestCursor.of(2, row(1, 2)), TestCursor.of(3, row(1, 2, 3))),
        MergeSpec.concat(2));
    SQLException e = assertThrows(SQLException.class, merged::next);
    assertEquals("shard 1 returned 3 columns but shard 0 returned 2", e.getMessage());
  }

  @Test
  void shardsWithTooFewColumnsForTheSpecAreRejected() {
    RowCursor merged = Merger.merge(List.of(TestCursor.of(2, row(1, 2))), MergeSpec.sorted(1, SortKey.asc(3)));
    SQLException e = assertThrows(SQLException.class, merged::next);
    assertTrue(e.getMessage().startsWith("shards returned 2 columns but the merge needs 4"), e.getMessage());
  }

  @Test
  void incomparableSortValuesNameTheColumn() {
    RowCursor merged = Merger.merge(List.of(TestCursor.of(2, row("a", 1)), TestCursor.of(2, row("b", "1"))),
        MergeSpec.sorted(1, SortKey.asc(1)));
    SQLException e = assertThrows(SQLException.class, () -> RowCursors.drain(merged));
    assertTrue(e.getMessage().contains("in column 1"), e.getMessage());
    assertEquals("42804", e.getSQLState());
  }

  @Test
  void resultExposesOnlyVisibleColumnsAndGuardsState() throws SQLException {
    TestCursor shard = TestCursor.of(3, row("a", 1, 2));
    RowCursor merged = Merger.merge(List.of(shard), MergeSpec.concat(2));
    assertEquals(2, merged.columnCount());
    assertThrows(SQLException.class, () -> merged.get(0), "before next()");
    assertTrue(merged.next());
    assertEquals("a", merged.get(0));
    assertEquals(1, merged.get(1));
    assertThrows(SQLException.class, () -> merged.get(2), "hidden column");
    assertEquals(false, merged.next());
    assertThrows(SQLException.class, () -> merged.get(0), "after end");
    merged.close();
    assertTrue(shard.closed);
    assertThrows(SQLException.class, merged::next);
  }

  @Test
  void noShardsMeansNoRows() throws SQLException {
    try (RowCursor merged = Merger.merge(List.of(), MergeSpec.sorted(1, SortKey.asc(0)))) {
      assertEquals(false, merged.next());
    }
  }

  @Test
  void nullArgumentsFailFast() {
    assertThrows(NullPointerException.class, () -> Merger.merge(null, MergeSpec.concat(1)));
    assertThrows(NullPointerException.class, () -> Merger.merge(List.of(), null));
  }

  @Test
  void closeAllWithNothingToCloseDoesNotThrow() {
    assertDoesNotThrow(() -> RowCursors.closeAll());
  }
}
