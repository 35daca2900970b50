package io.shardgate.merge;

/**
 * An aggregate column of the per-shard result and how to recombine it.
 *
 * <p>For {@link AggregateFunction#AVG} the router rewrote {@code AVG(x)} into {@code SUM(x)} in {@code column}
 * and a (usually hidden) {@code COUNT(x)} in {@code countColumn}; the merged {@code column} holds the average.
 * For every other function {@code countColumn} is -1. {@code roundScale} >= 0 rounds the merged average to that many
 * decimals, half away from zero ({@code round(avg(x), 2)}, {@code avg(x)::numeric(10, 2)}); -1 leaves it.
 */
public record AggregateColumn(int column, AggregateFunction function, int countColumn, int roundScale) {

  public AggregateColumn(int column, AggregateFunction function, int countColumn) {
    this(column, function, countColumn, -1);
  }

  public AggregateColumn {
    if (roundScale < -1 || roundScale >= 0 && function != AggregateFunction.AVG) {
      throw new IllegalArgumentException(function + " in column " + column + " cannot be rounded to " + roundScale);
    }
    if (function == null) {
      throw new NullPointerException("function must not be null");
    }
    if (column < 0) {
      throw new IllegalArgumentException("aggregate column must be >= 0, got " + column);
    }
    if (function == AggregateFunction.AVG) {
      if (countColumn < 0 || countColumn == column) {
        throw new IllegalArgumentException(
            "AVG in column " + column + " needs a separate count column, got countColumn " + countColumn);
      }
    } else if (countColumn != -1) {
      throw new IllegalArgumentException(
          function + " in column " + column + " takes no count column (use -1), got " + countColumn);
    }
  }

  public static AggregateColumn count(int column) {
    return new AggregateColumn(column, AggregateFunction.COUNT, -1);
  }

  public static AggregateColumn sum(int column) {
    return new AggregateColumn(column, AggregateFunction.SUM, -1);
  }

  public static AggregateColumn min(int column) {
    return new AggregateColumn(column, AggregateFunction.MIN, -1);
  }

  public static AggregateColumn max(int column) {
    return new AggregateColumn(column, AggregateFunction.MAX, -1);
  }

  /** {@code sumColumn} holds per-shard SUM(arg), {@code countColumn} per-shard COUNT(arg). */
  public static AggregateColumn avg(int sumColumn, int countColumn) {
    return new AggregateColumn(sumColumn, AggregateFunction.AVG, countColumn);
  }

  /** Deterministic text, e.g. {@code SUM(3)} or {@code AVG(3/4)}. */
  public String describe() {
    return function + "(" + column + (function == AggregateFunction.AVG ? "/" + countColumn : "") + ")"
        + (roundScale >= 0 ? "~" + roundScale : "");
  }
}
