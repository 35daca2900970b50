package io.shardgate.merge;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.sql.SQLException;

/**
 * Adds up per-shard partial sums without boxing per value. The result type widens as values arrive:
 * Long while every value is integral and the total fits; BigDecimal once a BigDecimal or BigInteger
 * arrives or the long total overflows; Double once a Double or Float arrives. Null values are skipped;
 * with no non-null value the sum is null.
 */
final class SumAccumulator {
  private static final int NONE = 0;
  private static final int LONG = 1;
  private static final int DECIMAL = 2;
  private static final int DOUBLE = 3;

  private int kind = NONE;
  private long longSum;
  private BigDecimal decimalSum;
  private double doubleSum;

  void add(Object value, AggregateFunction function, int column) throws SQLException {
    if (value == null) {
      return;
    }
    if (!(value instanceof Number n)) {
      throw new SQLException(function + " in column " + column + " got a non-numeric value of type "
          + value.getClass().getName(), "42804");
    }
    if (n instanceof Double || n instanceof Float) {
      toDouble();
      doubleSum += n.doubleValue();
    } else if (ValueComparator.isIntegral(n)) {
      long v = n.longValue();
      switch (kind) {
        case NONE -> {
          kind = LONG;
          longSum = v;
        }
        case LONG -> {
          long r = longSum + v;
          if (((longSum ^ r) & (v ^ r)) < 0) { // overflow: continue exactly in BigDecimal
            kind = DECIMAL;
            decimalSum = BigDecimal.valueOf(longSum).add(BigDecimal.valueOf(v));
          } else {
            longSum = r;
          }
        }
        case DECIMAL -> decimalSum = decimalSum.add(BigDecimal.valueOf(v));
        default -> doubleSum += v;
      }
    } else {
      BigDecimal v = n instanceof BigInteger bi ? new BigDecimal(bi) : ValueComparator.toBigDecimal(n);
      switch (kind) {
        case NONE -> {
          kind = DECIMAL;
          decimalSum = v;
        }
        case LONG -> {
          kind = DECIMAL;
          decimalSum = BigDecimal.valueOf(longSum).add(v);
        }
        case DECIMAL -> decimalSum = decimalSum.add(v);
        default -> doubleSum += v.doubleValue();
      }
    }
  }

  private void toDouble() {
    if (kind == LONG) {
      doubleSum = longSum;
    } else if (kind == DECIMAL) {
      doubleSum = decimalSum.doubleValue();
    }
    kind = DOUBLE;
  }

  /** Long, BigDecimal, Double, or null when no value was added. */
  Object result() {
    return switch (kind) {
      case LONG -> longSum;
      case DECIMAL -> decimalSum;
      case DOUBLE -> doubleSum;
      default -> null;
    };
  }

  /**
   * The total divided by {@code count}, as BigDecimal (MathContext.DECIMAL128, trailing zeros stripped, never
   * in exponent notation for whole numbers); null when the count is 0 or no value was added. A non-finite
   * Double total (NaN, Infinity) has no BigDecimal form and is returned as Double total / count.
   */
  Object average(long count) {
    if (count == 0 || kind == NONE) {
      return null;
    }
    BigDecimal total;
    switch (kind) {
      case LONG -> total = BigDecimal.valueOf(longSum);
      case DECIMAL -> total = decimalSum;
      default -> {
        if (!Double.isFinite(doubleSum)) {
          return doubleSum / count;
        }
        total = BigDecimal.valueOf(doubleSum);
      }
    }
    BigDecimal avg = total.divide(BigDecimal.valueOf(count), MathContext.DECIMAL128).stripTrailingZeros();
    return avg.scale() < 0 ? avg.setScale(0, RoundingMode.UNNECESSARY) : avg;
  }
}
