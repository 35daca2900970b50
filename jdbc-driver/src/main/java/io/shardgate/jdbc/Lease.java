package io.shardgate.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.shardgate.topology.Topology;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One physical connection borrowed by a logical connection: from which shard and database, and whether the
 * session was changed in a way the pool cannot undo (a {@code SET}), in which case it is evicted instead of
 * returned. Isolation, read-only, autocommit, catalog and schema need nothing here: HikariCP's own dirty bits
 * restore them when the connection goes back.
 */
final class Lease {
    final String shard;
    final String database;
    final Connection connection;
    private final HikariDataSource pool;
    private final Topology.DatabaseState state;
    /** Held for the whole transaction (returned by commit/rollback, not by the statement). */
    final boolean transactional;
    boolean evict;
    private boolean released;

    Lease(String shard, String database, Connection connection, HikariDataSource pool, Topology.DatabaseState state,
          boolean transactional) {
        this.shard = shard;
        this.database = database;
        this.connection = connection;
        this.pool = pool;
        this.state = state;
        this.transactional = transactional;
        state.acquired();
    }

    /** {@code shard/database}, as error messages show it. */
    String label() {
        return shard + "/" + database;
    }

    SQLException error(SQLException e) {
        return Errors.fromShard(shard, database, e);
    }

    /** Returns the connection to its pool (or evicts it); never throws, safe to call twice. */
    void release() {
        if (released) {
            return;
        }
        released = true;
        state.released();
        try {
            if (evict) {
                pool.evictConnection(connection);
            } else {
                connection.close();
            }
        } catch (SQLException | RuntimeException ignored) {
            // the pool discards a connection whose reset fails; nothing the caller could do
        }
    }

    boolean released() {
        return released;
    }
}
