package io.shardgate.jdbc;

import io.shardgate.merge.MergeSpec;
import io.shardgate.merge.RowCursor;

import java.sql.SQLException;
import java.util.List;

/** The one call into the merge engine (kept in one place while the engine lands in sql-router). */
final class Merging {
    private Merging() {
    }

    static RowCursor merge(List<RowCursor> cursors, MergeSpec spec) {
        return new Concat(cursors.toArray(new RowCursor[0]), spec.visibleColumns());
    }

    /** Interim: shards one after another, visible columns only; replaced by Merger.merge. */
    private static final class Concat implements RowCursor {
        private final RowCursor[] shards;
        private final int visible;
        private int current;

        Concat(RowCursor[] shards, int visible) {
            this.shards = shards;
            this.visible = visible;
        }

        @Override
        public boolean next() throws SQLException {
            while (current < shards.length) {
                if (shards[current].next()) {
                    return true;
                }
                current++;
            }
            return false;
        }

        @Override
        public Object get(int column) throws SQLException {
            return shards[current].get(column);
        }

        @Override
        public int columnCount() {
            return visible;
        }

        @Override
        public void close() throws SQLException {
            SQLException first = null;
            for (RowCursor c : shards) {
                try {
                    c.close();
                } catch (SQLException e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }
}
