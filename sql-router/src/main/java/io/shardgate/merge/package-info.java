/**
 * The one merge engine of shardgate, shared by the JDBC driver and the proxy.
 *
 * <p>Executors adapt their per-shard results to {@link io.shardgate.merge.RowCursor} (a {@code ResultSet}, or
 * decoded PostgreSQL DataRows) and call {@link io.shardgate.merge.Merger#merge} with the
 * {@link io.shardgate.merge.MergeSpec} the router produced. The engine never sees SQL.
 *
 * <h2>Memory</h2>
 * <ul>
 *   <li>Concatenation and ORDER BY heap merge: O(shards) (one current row per shard, read in place).</li>
 *   <li>OFFSET/LIMIT: O(1); shards are not read past the row that completes the limit.</li>
 *   <li>DISTINCT: a hash set of every distinct visible row returned so far.</li>
 *   <li>GROUP BY / aggregates: a hash table of every group (one merged row per group), built on the first
 *       {@code next()}; ORDER BY over groups sorts that table in memory.</li>
 * </ul>
 *
 * <h2>Result types</h2>
 * COUNT is a Long (0 over no rows). SUM is a Long for integral inputs, a BigDecimal for decimal inputs or
 * when a long total overflows, a Double as soon as a floating input arrives, and null when every input is
 * null. AVG is a BigDecimal (DECIMAL128, trailing zeros stripped, plain form for whole numbers), null when
 * the total count is 0. MIN/MAX keep the winning value as the shard returned it. Ordering and equality follow
 * {@link io.shardgate.merge.ValueComparator}; strings compare by code unit, so shards must sort with a
 * deterministic collation such as "C" for the merged order to match theirs.
 */
package io.shardgate.merge;
