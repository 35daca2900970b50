package io.shardgate.merge;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Helpers over {@link RowCursor}s. */
public final class RowCursors {

  private RowCursors() {
  }

  /** Reads the remaining rows into arrays of {@code columnCount()} values. Does not close the cursor. */
  public static List<Object[]> drain(RowCursor cursor) throws SQLException {
    int n = cursor.columnCount();
    List<Object[]> rows = new ArrayList<>();
    while (cursor.next()) {
      Object[] row = new Object[n];
      for (int c = 0; c < n; c++) {
        row[c] = cursor.get(c);
      }
      rows.add(row);
    }
    return rows;
  }

  /** A cursor with no rows. */
  public static RowCursor empty(int columnCount) {
    return new ListRowCursor(columnCount, List.of());
  }

  /**
   * Closes every cursor, even when some fail. The first failure is thrown (an SQLException or a runtime
   * exception, as raised) with the later ones added as suppressed.
   */
  public static void closeAll(RowCursor... cursors) throws SQLException {
    Throwable first = null;
    for (RowCursor c : cursors) {
      try {
        c.close();
      } catch (SQLException | RuntimeException | Error e) {
        if (first == null) {
          first = e;
        } else if (first != e) {
          first.addSuppressed(e);
        }
      }
    }
    if (first instanceof SQLException e) {
      throw e;
    }
    if (first instanceof RuntimeException e) {
      throw e;
    }
    if (first instanceof Error e) {
      throw e;
    }
  }
}
