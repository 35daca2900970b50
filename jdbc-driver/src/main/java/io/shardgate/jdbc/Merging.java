package io.shardgate.jdbc;

import io.shardgate.merge.MergeSpec;
import io.shardgate.merge.Merger;
import io.shardgate.merge.RowCursor;

import java.util.List;

/** The one call into the merge engine shared with the proxy. */
final class Merging {
    private Merging() {
    }

    static RowCursor merge(List<RowCursor> cursors, MergeSpec spec) {
        return Merger.merge(cursors, spec);
    }
}
