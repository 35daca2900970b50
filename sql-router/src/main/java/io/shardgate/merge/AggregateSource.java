package io.shardgate.merge;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hash aggregation: on the first call it reads every input row, recombines the partial aggregates per
 * group key, applies HAVING, then sorts the groups in memory. Memory: O(groups x columns); the input rows
 * themselves are not kept. Groups come out in first-seen order unless a sort is given (the sort is stable).
 *
 * <p>The merged group row holds every column: group and other non-aggregate columns from the group's first
 * row, aggregate columns recombined, and an AVG's count column (if not an aggregate itself) the total count.
 */
final class AggregateSource implements RowSource {
  private final RowSource in;
  private final int width;
  private final int[] groupColumns;
  private final AggregateColumn[] aggregates;
  private final RowFilter having;
  private final List<SortKey> sort;
  /** Per aggregate: an AVG whose count column is not an aggregate of its own gets the total count. */
  private final boolean[] writeCount;
  private List<Object[]> rows;
  private int position = -1;

  AggregateSource(RowSource in, int width, MergeSpec spec) {
    this.in = in;
    this.width = width;
    this.groupColumns = spec.groupBy().stream().mapToInt(Integer::intValue).toArray();
    this.aggregates = spec.aggregates().toArray(new AggregateColumn[0]);
    this.having = spec.having();
    this.sort = spec.sort();
    Set<Integer> aggregateColumns = new HashSet<>();
    for (AggregateColumn a : aggregates) {
      aggregateColumns.add(a.column());
    }
    this.writeCount = new boolean[aggregates.length];
    for (int i = 0; i < aggregates.length; i++) {
      writeCount[i] = aggregates[i].function() == AggregateFunction.AVG
          && !aggregateColumns.contains(aggregates[i].countColumn());
    }
  }

  @Override
  public boolean next() throws SQLException {
    if (rows == null) {
      rows = aggregate();
    }
    if (position + 1 < rows.size()) {
      position++;
      return true;
    }
    position = rows.size();
    return false;
  }

  @Override
  public Object get(int column) {
    return rows.get(position)[column];
  }

  private List<Object[]> aggregate() throws SQLException {
    Map<RowKey, Group> groups = new LinkedHashMap<>();
    Group global = null;
    while (in.next()) {
      Group g;
      if (groupColumns.length == 0) {
        if (global == null) {
          global = newGroup();
        }
        g = global;
      } else {
        Object[] key = new Object[groupColumns.length];
        for (int i = 0; i < key.length; i++) {
          key[i] = in.get(groupColumns[i]);
        }
        RowKey rowKey = new RowKey(key);
        g = groups.get(rowKey);
        if (g == null) {
          g = newGroup();
          groups.put(rowKey, g);
        }
      }
      accumulate(g);
    }
    List<Group> all;
    if (groupColumns.length == 0) {
      // SQL: an aggregate without GROUP BY yields exactly one row, even over no rows at all
      all = List.of(global != null ? global : new Group(new Object[width], aggregates.length));
    } else {
      all = new ArrayList<>(groups.values());
    }
    List<Object[]> out = new ArrayList<>(all.size());
    for (Group g : all) {
      Object[] row = finish(g);
      if (having == null || having.test(row)) {
        out.add(row);
      }
    }
    if (!sort.isEmpty() && out.size() > 1) {
      sortRows(out);
    }
    return out;
  }

  private Group newGroup() throws SQLException {
    Object[] row = new Object[width];
    for (int c = 0; c < width; c++) {
      row[c] = in.get(c);
    }
    return new Group(row, aggregates.length);
  }

  private void accumulate(Group g) throws SQLException {
    for (int i = 0; i < aggregates.length; i++) {
      AggregateColumn a = aggregates[i];
      Object v = in.get(a.column());
      switch (a.function()) {
        case COUNT -> g.counts[i] = Math.addExact(g.counts[i], countValue(v, a.column()));
        case SUM -> g.sum(i).add(v, AggregateFunction.SUM, a.column());
        case AVG -> {
          g.sum(i).add(v, AggregateFunction.AVG, a.column());
          g.counts[i] = Math.addExact(g.counts[i], countValue(in.get(a.countColumn()), a.countColumn()));
        }
        case MIN, MAX -> {
          if (v != null) {
            Object best = g.extremes[i];
            if (best == null) {
              g.extremes[i] = v;
            } else {
              int c = ValueComparator.compareNonNull(v, best, a.column());
              if (a.function() == AggregateFunction.MIN ? c < 0 : c > 0) {
                g.extremes[i] = v;
              }
            }
          }
        }
      }
    }
  }

  private static long countValue(Object v, int column) throws SQLException {
    if (v == null) {
      return 0;
    }
    if (v instanceof Number n) {
      return n.longValue();
    }
    throw new SQLException("COUNT in column " + column + " got a non-numeric value of type "
        + v.getClass().getName(), "42804");
  }

  private Object[] finish(Group g) {
    Object[] row = g.row;
    for (int i = 0; i < aggregates.length; i++) {
      AggregateColumn a = aggregates[i];
      switch (a.function()) {
        case COUNT -> row[a.column()] = g.counts[i];
        case SUM -> row[a.column()] = g.sums[i] == null ? null : g.sums[i].result();
        case AVG -> {
          Object average = g.sums[i] == null ? null : g.sums[i].average(g.counts[i]);
          row[a.column()] = a.roundScale() >= 0 && average instanceof java.math.BigDecimal d
              ? d.setScale(a.roundScale(), java.math.RoundingMode.HALF_UP) : average;
          if (writeCount[i]) {
            row[a.countColumn()] = g.counts[i];
          }
        }
        case MIN, MAX -> row[a.column()] = g.extremes[i];
      }
    }
    return row;
  }

  private void sortRows(List<Object[]> out) throws SQLException {
    SortKey[] keys = sort.toArray(new SortKey[0]);
    Comparator<Object[]> order = (a, b) -> {
      for (SortKey k : keys) {
        int c;
        try {
          c = ValueComparator.compare(a[k.column()], b[k.column()], k);
        } catch (SQLException e) {
          throw new Incomparable(e);
        }
        if (c != 0) {
          return c;
        }
      }
      return 0;
    };
    try {
      out.sort(order);
    } catch (Incomparable e) {
      throw e.sqlException;
    }
  }

  /** Carries an SQLException out of a Comparator. */
  private static final class Incomparable extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final SQLException sqlException;

    Incomparable(SQLException e) {
      super(e.getMessage(), null, false, false);
      this.sqlException = e;
    }
  }

  private static final class Group {
    final Object[] row;
    final long[] counts;
    final SumAccumulator[] sums;
    final Object[] extremes;

    Group(Object[] row, int aggregates) {
      this.row = row;
      this.counts = new long[aggregates];
      this.sums = new SumAccumulator[aggregates];
      this.extremes = new Object[aggregates];
    }

    SumAccumulator sum(int i) {
      SumAccumulator s = sums[i];
      if (s == null) {
        s = new SumAccumulator();
        sums[i] = s;
      }
      return s;
    }
  }
}
