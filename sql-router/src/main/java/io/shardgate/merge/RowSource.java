package io.shardgate.merge;

import java.sql.SQLException;

/** One stage of the merge pipeline. Stages own nothing: the merged cursor closes the shard cursors. */
interface RowSource {
  boolean next() throws SQLException;

  Object get(int column) throws SQLException;
}
