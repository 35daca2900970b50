package io.shardgate.merge;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Date;
import java.util.UUID;

/**
 * Orders and compares the Java values shard cursors return, the way the merge engine needs them.
 *
 * <ul>
 *   <li>null: placed by the caller's {@code nullsFirst}; two nulls are equal (as in GROUP BY and DISTINCT).</li>
 *   <li>Numbers of any type compare numerically: integral types exactly as longs, BigDecimal and BigInteger
 *       exactly as BigDecimal, and as soon as one side is Double or Float both compare as double (like
 *       PostgreSQL casting numeric to float8). NaN is greater than every number and equal to itself; -0.0
 *       equals 0.0.</li>
 *   <li>String: {@link String#compareTo} (UTF-16 code units). {@link java.text.Collator} is not used, so the
 *       merge order only matches the shards' order when the shards sort with a deterministic byte/code-point
 *       collation such as PostgreSQL's "C" (for ASCII data any collation that agrees with it).</li>
 *   <li>java.util.Date family (java.sql.Date/Time/Timestamp, Timestamp with nanos): chronological.
 *       OffsetDateTime and ZonedDateTime: by instant (like timestamptz), not by local time. Other java.time
 *       types: their natural order.</li>
 *   <li>Boolean: false &lt; true. byte[]: unsigned lexicographic (like bytea). UUID: unsigned byte order, like
 *       PostgreSQL's uuid (not {@link UUID#compareTo}, which is signed).</li>
 *   <li>Two other values of the same Comparable class: {@code compareTo}. Anything else is incomparable and
 *       raises an SQLException (SQLState 42804) that names the column.</li>
 * </ul>
 *
 * <p>{@link #hash(Object)} is consistent with {@link #equalValues(Object, Object)}, so rows can be keyed in
 * hash sets (DISTINCT) and maps (GROUP BY) even when shards return different numeric types.
 */
public final class ValueComparator {

  /** Marker returned by {@link #compareOrIncomparable} for values that cannot be ordered. */
  static final int INCOMPARABLE = Integer.MIN_VALUE;

  private ValueComparator() {
  }

  /** Ascending comparison with nulls placed first or last. */
  public static int compare(Object a, Object b, boolean nullsFirst, int column) throws SQLException {
    if (a == null) {
      return b == null ? 0 : (nullsFirst ? -1 : 1);
    }
    if (b == null) {
      return nullsFirst ? 1 : -1;
    }
    return compareNonNull(a, b, column);
  }

  /** Comparison in the order of one sort key: direction and null placement applied. */
  public static int compare(Object a, Object b, SortKey key) throws SQLException {
    if (a == null) {
      return b == null ? 0 : (key.nullsFirst() ? -1 : 1);
    }
    if (b == null) {
      return key.nullsFirst() ? 1 : -1;
    }
    int c = compareNonNull(a, b, key.column());
    return key.descending() ? -c : c;
  }

  /** Ascending comparison of two non-null values; returns -1, 0 or 1. */
  public static int compareNonNull(Object a, Object b, int column) throws SQLException {
    int c = compareOrIncomparable(a, b);
    if (c == INCOMPARABLE) {
      throw incomparable(a, b, column);
    }
    return c;
  }

  /** SQL "IS NOT DISTINCT FROM": nulls equal each other, incomparable values are not equal. */
  public static boolean equalValues(Object a, Object b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a == b || compareOrIncomparable(a, b) == 0;
  }

  /** Hash code consistent with {@link #equalValues}: e.g. Long 1, Integer 1 and BigDecimal 1.00 hash alike. */
  public static int hash(Object v) {
    if (v == null) {
      return 0;
    }
    if (v instanceof String s) {
      return s.hashCode();
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      return d == 0.0 ? 0 : Double.hashCode(d); // -0.0 == 0.0; equal values always map to the same double
    }
    if (v instanceof byte[] bytes) {
      return Arrays.hashCode(bytes);
    }
    if (v instanceof Date date) {
      return Long.hashCode(date.getTime());
    }
    if (v instanceof OffsetDateTime odt) {
      return Long.hashCode(odt.toEpochSecond()) * 31 + odt.getNano();
    }
    if (v instanceof ZonedDateTime zdt) {
      return Long.hashCode(zdt.toEpochSecond()) * 31 + zdt.getNano();
    }
    return v.hashCode();
  }

  /** -1, 0, 1, or {@link #INCOMPARABLE}; both arguments non-null. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static int compareOrIncomparable(Object a, Object b) {
    if (a instanceof String sa) {
      return b instanceof String sb ? Integer.signum(sa.compareTo(sb)) : INCOMPARABLE;
    }
    if (a instanceof Number na) {
      return b instanceof Number nb ? compareNumbers(na, nb) : INCOMPARABLE;
    }
    if (a instanceof Date da) {
      if (!(b instanceof Date db)) {
        return INCOMPARABLE;
      }
      if (a instanceof Timestamp ta) {
        return Integer.signum(ta.compareTo(db));
      }
      if (b instanceof Timestamp tb) {
        return -Integer.signum(tb.compareTo(da));
      }
      return Long.compare(da.getTime(), db.getTime());
    }
    if (a instanceof Boolean ba) {
      return b instanceof Boolean bb ? Boolean.compare(ba, bb) : INCOMPARABLE;
    }
    if (a instanceof byte[] xa) {
      return b instanceof byte[] xb ? Integer.signum(Arrays.compareUnsigned(xa, xb)) : INCOMPARABLE;
    }
    if (a instanceof UUID ua) {
      if (!(b instanceof UUID ub)) {
        return INCOMPARABLE;
      }
      int c = Long.compareUnsigned(ua.getMostSignificantBits(), ub.getMostSignificantBits());
      return c != 0 ? Integer.signum(c)
          : Integer.signum(Long.compareUnsigned(ua.getLeastSignificantBits(), ub.getLeastSignificantBits()));
    }
    if (a instanceof OffsetDateTime oa) {
      if (!(b instanceof OffsetDateTime ob)) {
        return INCOMPARABLE;
      }
      int c = Long.compare(oa.toEpochSecond(), ob.toEpochSecond());
      return c != 0 ? c : Integer.compare(oa.getNano(), ob.getNano());
    }
    if (a instanceof ZonedDateTime za) {
      if (!(b instanceof ZonedDateTime zb)) {
        return INCOMPARABLE;
      }
      int c = Long.compare(za.toEpochSecond(), zb.toEpochSecond());
      return c != 0 ? c : Integer.compare(za.getNano(), zb.getNano());
    }
    if (a instanceof Comparable ca && a.getClass() == b.getClass()) {
      return Integer.signum(ca.compareTo(b));
    }
    return INCOMPARABLE;
  }

  static int compareNumbers(Number a, Number b) {
    if (isIntegral(a) && isIntegral(b)) {
      return Long.compare(a.longValue(), b.longValue());
    }
    if (a instanceof Double || a instanceof Float || b instanceof Double || b instanceof Float) {
      double x = a.doubleValue();
      double y = b.doubleValue();
      if (x < y) {
        return -1;
      }
      if (x > y) {
        return 1;
      }
      return x == y ? 0 : Double.compare(x, y); // only NaN gets here: NaN above everything, equal to itself
    }
    return toBigDecimal(a).compareTo(toBigDecimal(b));
  }

  /** Long, Integer, Short, Byte: exactly representable as a long. */
  static boolean isIntegral(Number n) {
    return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte;
  }

  /** Exact BigDecimal of a non-floating number. */
  static BigDecimal toBigDecimal(Number n) {
    if (n instanceof BigDecimal bd) {
      return bd;
    }
    if (isIntegral(n)) {
      return BigDecimal.valueOf(n.longValue());
    }
    if (n instanceof BigInteger bi) {
      return new BigDecimal(bi);
    }
    if (n instanceof Double || n instanceof Float) {
      return BigDecimal.valueOf(n.doubleValue());
    }
    return new BigDecimal(n.toString()); // AtomicLong, LongAdder and the like print as plain numbers
  }

  private static SQLException incomparable(Object a, Object b, int column) {
    return new SQLException("cannot compare values of types " + a.getClass().getName() + " and "
        + b.getClass().getName() + " in column " + column
        + " (shards returned different types, or the type has no order)", "42804");
  }
}
