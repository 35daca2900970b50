package io.shardgate.merge;

import java.sql.SQLException;

/** Shards in list order, streaming: a shard is read only after the previous one is exhausted. */
final class ConcatSource implements RowSource {
  private final RowCursor[] shards;
  private int current;
  private RowCursor cursor;

  ConcatSource(RowCursor[] shards) {
    this.shards = shards;
    this.cursor = shards.length == 0 ? null : shards[0];
  }

  @Override
  public boolean next() throws SQLException {
    while (cursor != null) {
      if (cursor.next()) {
        return true;
      }
      current++;
      cursor = current < shards.length ? shards[current] : null;
    }
    return false;
  }

  @Override
  public Object get(int column) throws SQLException {
    return cursor.get(column);
  }
}
