package io.shardgate.route;

/** Which member of a shard serves a statement. */
public enum Role {
    PRIMARY, REPLICA;

    public String label() {
        return this == PRIMARY ? "primary" : "replica";
    }
}
