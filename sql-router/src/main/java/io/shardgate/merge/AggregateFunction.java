package io.shardgate.merge;

/** How per-shard partial aggregates are recombined; see {@link AggregateColumn}. */
public enum AggregateFunction {
  /** Sum of the per-shard counts; result Long (0 for no rows). */
  COUNT,
  /** Sum of the per-shard sums; Long for integral inputs, BigDecimal for decimals, Double for floating; null if all null. */
  SUM,
  /** Smallest non-null per-shard value by {@link ValueComparator}. */
  MIN,
  /** Largest non-null per-shard value by {@link ValueComparator}. */
  MAX,
  /** Total of the per-shard SUM column divided by the total of the per-shard COUNT column, as BigDecimal. */
  AVG
}
