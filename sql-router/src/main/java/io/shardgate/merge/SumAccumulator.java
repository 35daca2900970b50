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
   * The total divided by {@code count} as PostgreSQL's avg() gives it: for integers and decimals a BigDecimal with
   * the scale PostgreSQL's numeric division picks (at least 16 significant digits, never fewer decimals than the
   * sum has: avg of 1..2000 is 1000.5000000000000000), rounded half away from zero; for floating-point inputs a
   * Double. Null when the count is 0 or no value was added.
   */
  Object average(long count) {
    if (count == 0 || kind == NONE) {
      return null;
    }
    if (kind == DOUBLE) {
      return doubleSum / count;
    }
    BigDecimal total = kind == LONG ? BigDecimal.valueOf(longSum) : decimalSum;
    BigDecimal divisor = BigDecimal.valueOf(count);
    return total.divide(divisor, divisionScale(total, divisor), RoundingMode.HALF_UP);
  }

  /** PostgreSQL's select_div_scale: digits counted in base-10000 groups, as numeric stores them. */
  static int divisionScale(BigDecimal dividend, BigDecimal divisor) {
    int weight1 = groupWeight(dividend);
    int weight2 = groupWeight(divisor);
    int quotientWeight = weight1 - weight2;
    if (firstGroup(dividend, weight1) <= firstGroup(divisor, weight2)) {
      quotientWeight--;
    }
    int scale = 16 - quotientWeight * 4;
    scale = Math.max(scale, Math.max(dividend.scale(), 0));
    scale = Math.max(scale, Math.max(divisor.scale(), 0));
    return Math.min(Math.max(scale, 0), 1000);
  }

  /** The base-10000 position of the value's leading group (0 for 1..9999, 1 for 10000.., -1 for 0.0001..0.9999). */
  private static int groupWeight(BigDecimal v) {
    if (v.signum() == 0) {
      return 0;
    }
    int leadingDecimalExponent = v.precision() - v.scale() - 1;
    return Math.floorDiv(leadingDecimalExponent, 4);
  }

  private static long firstGroup(BigDecimal v, int weight) {
    if (v.signum() == 0) {
      return 0;
    }
    return v.abs().movePointLeft(4 * weight).longValue();
  }

}
