package io.shardgate.merge;

import java.sql.SQLException;

/** OFFSET then LIMIT, streaming; once the limit is reached the input is not pulled again. */
final class OffsetLimitSource implements RowSource {
  private final RowSource in;
  private long toSkip;
  private long remaining;

  OffsetLimitSource(RowSource in, long offset, long limit) {
    this.in = in;
    this.toSkip = offset;
    this.remaining = limit < 0 ? Long.MAX_VALUE : limit;
  }

  @Override
  public boolean next() throws SQLException {
    if (remaining <= 0) {
      return false;
    }
    while (toSkip > 0) {
      if (!in.next()) {
        remaining = 0;
        return false;
      }
      toSkip--;
    }
    if (!in.next()) {
      remaining = 0;
      return false;
    }
    remaining--;
    return true;
  }

  @Override
  public Object get(int column) throws SQLException {
    return in.get(column);
  }
}
