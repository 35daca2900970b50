package io.shardgate.merge;

import java.sql.SQLException;
import java.util.List;

/** A {@link RowCursor} over rows held in memory, for tests and for executors that buffer a result. */
public final class ListRowCursor implements RowCursor {
  private final List<Object[]> rows;
  private final int columnCount;
  private int position = -1;
  private boolean closed;

  /** Rows are used as given, not copied; each must have {@code columnCount} values. */
  public ListRowCursor(int columnCount, List<Object[]> rows) {
    if (columnCount < 0) {
      throw new IllegalArgumentException("columnCount must be >= 0, got " + columnCount);
    }
    if (rows == null) {
      throw new NullPointerException("rows must not be null");
    }
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).length != columnCount) {
        throw new IllegalArgumentException(
            "row " + i + " has " + rows.get(i).length + " values, expected " + columnCount);
      }
    }
    this.columnCount = columnCount;
    this.rows = rows;
  }

  public static ListRowCursor of(int columnCount, Object[]... rows) {
    return new ListRowCursor(columnCount, List.of(rows));
  }

  @Override
  public boolean next() throws SQLException {
    if (closed) {
      throw new SQLException("cursor is closed", "24000");
    }
    if (position + 1 < rows.size()) {
      position++;
      return true;
    }
    position = rows.size();
    return false;
  }

  @Override
  public Object get(int column) throws SQLException {
    if (closed || position < 0 || position >= rows.size()) {
      throw new SQLException("cursor is not on a row", "24000");
    }
    if (column < 0 || column >= columnCount) {
      throw new SQLException("column " + column + " out of range 0.." + (columnCount - 1), "22023");
    }
    return rows.get(position)[column];
  }

  @Override
  public int columnCount() {
    return columnCount;
  }

  @Override
  public void close() {
    closed = true;
  }

  public boolean isClosed() {
    return closed;
  }
}
