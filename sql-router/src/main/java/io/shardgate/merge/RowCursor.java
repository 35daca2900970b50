package io.shardgate.merge;

import java.sql.SQLException;

/**
 * The one narrow interface between the merge engine and the executors: a forward-only cursor over rows.
 * The JDBC driver adapts a {@code ResultSet}, the proxy adapts decoded PostgreSQL DataRows.
 *
 * <p>Values are plain Java values: Integer, Long, Short, BigDecimal, BigInteger, Double, Float, String,
 * Boolean, java.sql.Date/Time/Timestamp, java.time types (including OffsetDateTime), byte[], UUID, or null.
 * {@link #get(int)} is only valid after {@link #next()} returned true.
 */
public interface RowCursor extends AutoCloseable {

  /** Advances to the next row; false at the end. */
  boolean next() throws SQLException;

  /** Value of a column of the current row, 0-based. */
  Object get(int column) throws SQLException;

  /** Number of columns of every row of this cursor (known before the first row). */
  int columnCount();

  @Override
  void close() throws SQLException;
}
