package io.shardgate.analysis;

import java.util.List;

/**
 * What a cross-shard merge needs to know about a SELECT: its items, order, grouping, limits and where in the
 * normalised text to splice (hidden columns at {@code selectListEnd}, a rewritten LIMIT at the limit clause).
 * {@code unsupportedReason} is non-null when a merge of several shards' results could not be done right; the
 * router decides whether that matters (it does not for a single-shard statement). {@code perShardSubqueryTables}
 * are the tables read by subqueries that each shard would answer differently (uncorrelated and aggregating,
 * limiting or deduplicating, or under a SELECT without FROM); the router refuses a cross-shard plan when one of
 * them is sharded.
 */
public record SelectShape(List<SelectItem> items, List<OrderKey> orderBy, List<GroupKey> groupBy, boolean distinct,
                          ValueRef limit, ValueRef offset, int limitClauseStart, int limitClauseEnd, Having having,
                          boolean hasJoin, boolean hasSubquery, boolean hasSetOperation, boolean hasWindowFunction,
                          int selectListEnd, int orderByEnd, String unsupportedReason,
                          List<String> perShardSubqueryTables) {

    /** The start of {@link #unsupportedReason} for a select item that wraps an aggregate (count(*)::int, coalesce(max(x), 0)). */
    public static final String UNMERGEABLE_AGGREGATE = "aggregate the merger cannot recombine";

    /** Whether a select item computes on an aggregate: the shards' results cannot be merged into it. */
    public boolean hasUnmergeableAggregate() {
        return unsupportedReason != null && unsupportedReason.contains(UNMERGEABLE_AGGREGATE);
    }

    public SelectShape {
        items = List.copyOf(items);
        orderBy = List.copyOf(orderBy);
        groupBy = List.copyOf(groupBy);
        perShardSubqueryTables = List.copyOf(perShardSubqueryTables);
    }

    /** Aggregate functions the merger can recombine. */
    public enum Aggregate { NONE, COUNT, SUM, MIN, MAX, AVG }

    /**
     * One select item.
     *
     * @param label  alias, else column name, else expression text
     * @param column the column when the item is a plain column, else null
     * @param start  span of the item in the normalised text (without alias)
     * @param argStart span of the aggregate's argument, -1 when not an aggregate
     * @param zeroDefault for {@code coalesce(sum(x), $n)}: the default, which merges as a sum only when it is zero;
     *                    null otherwise
     * @param roundScale  for {@code round(avg(x), $n)} and {@code avg(x)::numeric(p, s)}: the decimals the merged
     *                    average is rounded to; null otherwise
     */
    public record SelectItem(String label, Aggregate aggregate, boolean distinctAggregate, ColumnRef column,
                             boolean star, int start, int end, int argStart, int argEnd, ValueRef zeroDefault,
                             ValueRef roundScale) {
    }

    /**
     * @param itemIndex  the matching select item (by ordinal, alias, same column or same text), -1 if not selected
     * @param expression normalised text of the key
     * @param nullsFirst null when the default applies
     */
    public record OrderKey(int itemIndex, String expression, boolean descending, Boolean nullsFirst) {
    }

    /** A GROUP BY key, matched to a select item like {@link OrderKey}. */
    public record GroupKey(int itemIndex, String expression) {
    }

    /** True when some item is an aggregate. */
    public boolean hasAggregates() {
        for (SelectItem item : items) {
            if (item.aggregate() != Aggregate.NONE) {
                return true;
            }
        }
        return false;
    }
}
