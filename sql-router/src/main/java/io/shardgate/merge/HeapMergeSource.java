package io.shardgate.merge;

import java.sql.SQLException;

/**
 * K-way merge of shards that are each sorted by the same keys. A binary min-heap of shard indexes holds one
 * current row per shard; the root is the current output row and is read straight from its shard cursor (no
 * row copy). On the next call the root's shard advances and sifts down. Memory: O(shards x sort keys).
 * Ties are broken by shard index, so equal rows come out in shard order (deterministic).
 */
final class HeapMergeSource implements RowSource {
  private final RowCursor[] shards;
  private final int[] keyColumns;
  private final boolean[] descending;
  private final boolean[] nullsFirst;
  /** keys[shard][k]: value of sort key k in the shard's current row; arrays reused for every row. */
  private final Object[][] keys;
  private final int[] heap;
  private int size;
  private boolean started;

  HeapMergeSource(RowCursor[] shards, SortKey[] sort) {
    this.shards = shards;
    int k = sort.length;
    keyColumns = new int[k];
    descending = new boolean[k];
    nullsFirst = new boolean[k];
    for (int i = 0; i < k; i++) {
      keyColumns[i] = sort[i].column();
      descending[i] = sort[i].descending();
      nullsFirst[i] = sort[i].nullsFirst();
    }
    keys = new Object[shards.length][k];
    heap = new int[shards.length];
  }

  @Override
  public boolean next() throws SQLException {
    if (!started) {
      started = true;
      for (int s = 0; s < shards.length; s++) {
        if (shards[s].next()) {
          loadKeys(s);
          heap[size++] = s;
        }
      }
      for (int i = size / 2 - 1; i >= 0; i--) {
        siftDown(i);
      }
      return size > 0;
    }
    if (size == 0) {
      return false;
    }
    int root = heap[0];
    if (shards[root].next()) {
      loadKeys(root);
    } else {
      heap[0] = heap[--size];
    }
    if (size > 0) {
      siftDown(0);
    }
    return size > 0;
  }

  @Override
  public Object get(int column) throws SQLException {
    return shards[heap[0]].get(column);
  }

  private void loadKeys(int shard) throws SQLException {
    Object[] row = keys[shard];
    RowCursor cursor = shards[shard];
    for (int k = 0; k < keyColumns.length; k++) {
      row[k] = cursor.get(keyColumns[k]);
    }
  }

  private void siftDown(int i) throws SQLException {
    int item = heap[i];
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < size && less(heap[right], heap[child])) {
        child = right;
      }
      if (!less(heap[child], item)) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = item;
  }

  /** True when shard a's current row sorts before shard b's. */
  private boolean less(int a, int b) throws SQLException {
    Object[] ka = keys[a];
    Object[] kb = keys[b];
    for (int k = 0; k < keyColumns.length; k++) {
      Object x = ka[k];
      Object y = kb[k];
      int c;
      if (x == null || y == null) {
        if (x == y) {
          continue;
        }
        c = (x == null) == nullsFirst[k] ? -1 : 1;
      } else {
        c = ValueComparator.compareNonNull(x, y, keyColumns[k]);
        if (descending[k]) {
          c = -c;
        }
      }
      if (c != 0) {
        return c < 0;
      }
    }
    return a < b;
  }
}
