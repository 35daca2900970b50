package io.shardgate.merge;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A shard cursor for tests: counts next() calls, can fail on next(), get() or close(). */
final class TestCursor implements RowCursor {
  private final ListRowCursor rows;
  int nextCalls;
  boolean closed;
  SQLException failOnNext;
  int failAfterRows = -1;
  Exception failOnClose;

  TestCursor(int columns, List<Object[]> rows) {
    this.rows = new ListRowCursor(columns, rows);
  }

  static TestCursor of(int columns, Object[]... rows) {
    return new TestCursor(columns, List.of(rows));
  }

  /** One-column shard. */
  static TestCursor ints(Integer... values) {
    List<Object[]> rows = new ArrayList<>();
    for (Integer v : values) {
      rows.add(new Object[] {v});
    }
    return new TestCursor(1, rows);
  }

  static Object[] row(Object... values) {
    return values;
  }

  @Override
  public boolean next() throws SQLException {
    if (failOnNext != null && nextCalls == failAfterRows) {
      nextCalls++;
      throw failOnNext;
    }
    nextCalls++;
    return rows.next();
  }

  @Override
  public Object get(int column) throws SQLException {
    return rows.get(column);
  }

  @Override
  public int columnCount() {
    return rows.columnCount();
  }

  @Override
  public void close() throws SQLException {
    closed = true;
    if (failOnClose instanceof SQLException e) {
      throw e;
    }
    if (failOnClose instanceof RuntimeException e) {
      throw e;
    }
  }

  static List<List<Object>> drain(RowCursor cursor) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    for (Object[] r : RowCursors.drain(cursor)) {
      out.add(Arrays.asList(r));
    }
    return out;
  }

  static List<List<Object>> merge(MergeSpec spec, RowCursor... shards) throws SQLException {
    try (RowCursor c = Merger.merge(List.of(shards), spec)) {
      return drain(c);
    }
  }

  /** First column of every row. */
  static List<Object> firstColumn(List<List<Object>> rows) {
    List<Object> out = new ArrayList<>();
    rows.forEach(r -> out.add(r.get(0)));
    return out;
  }
}
