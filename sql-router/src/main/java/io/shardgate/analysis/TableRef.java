package io.shardgate.analysis;

/**
 * A table read or written by a statement. Schema prefixes are dropped because shard rules name tables only.
 *
 * @param name  lower-cased unless quoted
 * @param alias the alias as written (lower-cased unless quoted), or null
 */
public record TableRef(String name, String alias) {
    @Override
    public String toString() {
        return alias == null ? name : name + " " + alias;
    }
}
