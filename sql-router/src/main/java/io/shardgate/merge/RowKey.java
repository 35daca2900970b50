package io.shardgate.merge;

/** A row of values as a hash key, equal by {@link ValueComparator#equalValues} (nulls equal). */
final class RowKey {
  private final Object[] values;
  private final int hash;

  RowKey(Object[] values) {
    this.values = values;
    int h = 1;
    for (Object v : values) {
      h = 31 * h + ValueComparator.hash(v);
    }
    this.hash = h;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof RowKey other) || other.hash != hash || other.values.length != values.length) {
      return false;
    }
    for (int i = 0; i < values.length; i++) {
      if (!ValueComparator.equalValues(values[i], other.values[i])) {
        return false;
      }
    }
    return true;
  }
}
