package io.shardgate.merge;

import java.sql.SQLException;

/**
 * The cursor {@link Merger#merge} returns: the end of the pipeline, limited to the visible columns, owning
 * the shard cursors. Checks on the first {@link #next()} that every shard returns the same number of
 * columns and enough of them for the spec.
 */
final class MergedCursor implements RowCursor {
  private final RowCursor[] shards;
  private final MergeSpec spec;
  private final RowSource pipeline;
  private final int visibleColumns;
  private boolean checked;
  private boolean onRow;
  private boolean closed;

  MergedCursor(RowCursor[] shards, MergeSpec spec, RowSource pipeline) {
    this.shards = shards;
    this.spec = spec;
    this.pipeline = pipeline;
    this.visibleColumns = spec.visibleColumns();
  }

  @Override
  public boolean next() throws SQLException {
    if (closed) {
      throw new SQLException("merged cursor is closed", "24000");
    }
    if (!checked) {
      checkColumns(shards, spec);
      checked = true;
    }
    onRow = pipeline.next();
    return onRow;
  }

  @Override
  public Object get(int column) throws SQLException {
    if (!onRow) {
      throw new SQLException(closed ? "merged cursor is closed" : "merged cursor is not on a row", "24000");
    }
    if (column < 0 || column >= visibleColumns) {
      throw new SQLException("column " + column + " out of range: the merged result has " + visibleColumns
          + " columns", "22023");
    }
    return pipeline.get(column);
  }

  @Override
  public int columnCount() {
    return visibleColumns;
  }

  /** Closes every shard cursor, even when some fail; the first failure is thrown, the others suppressed. */
  @Override
  public void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    onRow = false;
    RowCursors.closeAll(shards);
  }

  static void checkColumns(RowCursor[] shards, MergeSpec spec) throws SQLException {
    if (shards.length == 0) {
      return;
    }
    int expected = shards[0].columnCount();
    for (int s = 1; s < shards.length; s++) {
      int n = shards[s].columnCount();
      if (n != expected) {
        throw new SQLException("shard " + s + " returned " + n + " columns but shard 0 returned " + expected,
            "42804");
      }
    }
    int required = spec.requiredColumns();
    if (expected < required) {
      throw new SQLException("shards returned " + expected + " columns but the merge needs " + required
          + " (" + spec.describe() + ")", "42804");
    }
  }
}
