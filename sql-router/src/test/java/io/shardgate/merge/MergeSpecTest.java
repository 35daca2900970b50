package io.shardgate.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class MergeSpecTest {

  @Test
  void describeIsDeterministicAndSkipsDefaults() {
    assertEquals("columns=3", MergeSpec.concat(3).describe());
    MergeSpec spec = MergeSpec.aggregate(2, List.of(0), AggregateColumn.count(1), AggregateColumn.avg(2, 3))
        .withHaving(r -> true).withSort(SortKey.desc(1), SortKey.asc(0)).withDistinct(true).withOffsetLimit(5, 10);
    assertEquals("columns=2 groupBy=[0] aggregates=[COUNT(1),AVG(2/3)] having"
        + " sort=[1 DESC NULLS FIRST,0 ASC NULLS LAST] distinct offset=5 limit=10", spec.describe());
    assertEquals(4, spec.requiredColumns());
  }

  @Test
  void rejectsInvalidSpecsNamingTheSetting() {
    assertEquals("offset must be >= 0, got -1",
        assertThrows(IllegalArgumentException.class, () -> MergeSpec.concat(1).withOffsetLimit(-1, 1)).getMessage());
    assertEquals("limit must be >= 0 or -1 for none, got -2",
        assertThrows(IllegalArgumentException.class, () -> MergeSpec.concat(1).withOffsetLimit(0, -2)).getMessage());
    assertEquals("having needs groupBy or aggregates",
        assertThrows(IllegalArgumentException.class, () -> MergeSpec.concat(1).withHaving(r -> true)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new AggregateColumn(0, AggregateFunction.AVG, -1));
    assertThrows(IllegalArgumentException.class, () -> new AggregateColumn(0, AggregateFunction.SUM, 2));
    assertThrows(IllegalArgumentException.class, () -> new SortKey(-1, false, false));
    assertThrows(NullPointerException.class,
        () -> new MergeSpec(1, null, 0, -1, List.of(), List.of(), false, null));
  }
}
