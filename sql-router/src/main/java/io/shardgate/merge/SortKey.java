package io.shardgate.merge;

/**
 * One ORDER BY key. {@code nullsFirst} is absolute: nulls come first in the output when true, whatever the
 * direction (PostgreSQL defaults are {@link #asc(int)} = NULLS LAST and {@link #desc(int)} = NULLS FIRST).
 */
public record SortKey(int column, boolean descending, boolean nullsFirst) {

  public SortKey {
    if (column < 0) {
      throw new IllegalArgumentException("sort column must be >= 0, got " + column);
    }
  }

  /** ASC NULLS LAST, PostgreSQL's default for ascending order. */
  public static SortKey asc(int column) {
    return new SortKey(column, false, false);
  }

  /** DESC NULLS FIRST, PostgreSQL's default for descending order. */
  public static SortKey desc(int column) {
    return new SortKey(column, true, true);
  }

  /** Deterministic text, e.g. {@code 2 DESC NULLS FIRST}. */
  public String describe() {
    return column + (descending ? " DESC" : " ASC") + (nullsFirst ? " NULLS FIRST" : " NULLS LAST");
  }
}
