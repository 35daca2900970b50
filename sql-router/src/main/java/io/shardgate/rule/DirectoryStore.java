package io.shardgate.rule;

import java.util.Optional;

/** Where a directory rule keeps its key -> shard entries (a real table; see {@link JdbcDirectoryStore}). */
public interface DirectoryStore {
    /** The shard recorded for {@code key} (canonical text form), if any. */
    Optional<String> lookup(String key);

    /**
     * Records {@code shard} for {@code key} unless another writer recorded one first; returns the shard in force.
     */
    String placeIfAbsent(String key, String shard);
}
