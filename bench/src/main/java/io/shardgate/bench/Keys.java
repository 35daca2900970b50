package io.shardgate.bench;

/**
 * The ids every client asks for: ids 1..rows on which shardgate's hash and ShardingSphere's {@code id % 2} pick the
 * same shard (about half of them, spread evenly over both shards). Every query of every client thus reads one
 * existing row from the same physical database.
 */
public final class Keys {
    private Keys() {
    }

    public static long[] agreeing(int rows) {
        long[] buf = new long[rows];
        int n = 0;
        for (long id = 1; id <= rows; id++) {
            if (BenchDatabases.shardOf(id) == (int) (id % 2)) {
                buf[n++] = id;
            }
        }
        return java.util.Arrays.copyOf(buf, n);
    }
}
