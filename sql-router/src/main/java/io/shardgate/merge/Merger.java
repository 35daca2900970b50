package io.shardgate.merge;

import java.util.List;

/**
 * The one merge engine both faces use. It never sees SQL: the router hands it the per-shard cursors and a
 * {@link MergeSpec}. The pipeline it builds, each stage streaming unless noted:
 *
 * <ol>
 *   <li>Source. Without grouping: shards concatenated in list order when there is no sort, otherwise a
 *       k-way heap merge of the already sorted shards (memory O(shards)). With grouping or aggregates: the
 *       shards concatenated into a hash aggregation that recombines partial aggregates, applies HAVING and
 *       sorts the groups in memory (memory O(groups)).</li>
 *   <li>DISTINCT over the visible columns (hash set, memory O(distinct rows)).</li>
 *   <li>OFFSET, then LIMIT: once the limit is reached no shard is read any further.</li>
 *   <li>Only the first {@code visibleColumns} are exposed.</li>
 * </ol>
 *
 * <p>The returned cursor owns the shard cursors: closing it closes all of them. Errors of a shard cursor
 * propagate unchanged. Comparison rules are those of {@link ValueComparator}. Not thread-safe.
 */
public final class Merger {

  private Merger() {
  }

  public static RowCursor merge(List<RowCursor> shardCursors, MergeSpec spec) {
    if (shardCursors == null) {
      throw new NullPointerException("shardCursors must not be null");
    }
    if (spec == null) {
      throw new NullPointerException("spec must not be null");
    }
    RowCursor[] shards = shardCursors.toArray(new RowCursor[0]);
    for (int i = 0; i < shards.length; i++) {
      if (shards[i] == null) {
        throw new NullPointerException("shard cursor " + i + " must not be null");
      }
    }
    RowSource source;
    if (spec.isAggregating()) {
      int width = shards.length == 0 ? spec.requiredColumns() : shards[0].columnCount();
      source = new AggregateSource(new ConcatSource(shards), Math.max(width, spec.requiredColumns()), spec);
    } else if (spec.sort().isEmpty() || shards.length == 1) {
      source = new ConcatSource(shards);
    } else {
      source = new HeapMergeSource(shards, spec.sort().toArray(new SortKey[0]));
    }
    if (spec.distinct()) {
      source = new DistinctSource(source, spec.visibleColumns());
    }
    if (spec.offset() > 0 || spec.limit() >= 0) {
      source = new OffsetLimitSource(source, spec.offset(), spec.limit());
    }
    return new MergedCursor(shards, spec, source);
  }
}
