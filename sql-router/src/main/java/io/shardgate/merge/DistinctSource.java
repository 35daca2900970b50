package io.shardgate.merge;

import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/**
 * DISTINCT over the visible columns, streaming, keeping the first occurrence. Shards return distinct rows
 * each, but duplicates across shards need not be neighbours, so every distinct visible row seen so far is
 * kept in a hash set: memory O(distinct rows x visible columns) for the life of the cursor.
 */
final class DistinctSource implements RowSource {
  private final RowSource in;
  private final int columns;
  private final Set<RowKey> seen = new HashSet<>();

  DistinctSource(RowSource in, int columns) {
    this.in = in;
    this.columns = columns;
  }

  @Override
  public boolean next() throws SQLException {
    while (in.next()) {
      Object[] row = new Object[columns];
      for (int c = 0; c < columns; c++) {
        row[c] = in.get(c);
      }
      if (seen.add(new RowKey(row))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Object get(int column) throws SQLException {
    return in.get(column);
  }
}
