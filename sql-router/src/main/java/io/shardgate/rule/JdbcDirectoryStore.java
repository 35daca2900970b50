package io.shardgate.rule;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.shardgate.config.Dialect;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/**
 * A directory kept in a real database table, read through a bounded Caffeine cache. The table is created if absent:
 * <pre>
 * CREATE TABLE IF NOT EXISTS shardgate_directory (
 *   rule_name VARCHAR(128) NOT NULL, shard_key VARCHAR(512) NOT NULL, shard VARCHAR(128) NOT NULL,
 *   PRIMARY KEY (rule_name, shard_key))
 * </pre>
 * Only entries that exist are cached (an absent key is looked up again next time, so a key placed by another
 * process is seen at once); entries expire after the configured TTL so that an operator's move is picked up.
 */
public final class JdbcDirectoryStore implements DirectoryStore {
    private final DataSource dataSource;
    private final String table;
    private final String rule;
    private final Dialect dialect;
    private final Cache<String, String> cache;

    public JdbcDirectoryStore(DataSource dataSource, Dialect dialect, String table, String rule, int cacheSize,
                              Duration ttl) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.table = table;
        this.rule = rule;
        this.cache = Caffeine.newBuilder().maximumSize(cacheSize).expireAfterWrite(ttl).build();
    }

    /** Creates the directory table if it does not exist yet. */
    public void createTableIfAbsent() {
        String ddl = "CREATE TABLE IF NOT EXISTS " + table + " (rule_name VARCHAR(128) NOT NULL, "
                + "shard_key VARCHAR(512) NOT NULL, shard VARCHAR(128) NOT NULL, PRIMARY KEY (rule_name, shard_key))";
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(ddl);
        } catch (SQLException e) {
            throw new RoutingException(e.getSQLState() == null ? RoutingException.NOT_SUPPORTED : e.getSQLState(),
                    "directory rule '" + rule + "': cannot create table " + table + ": " + e.getMessage());
        }
    }

    @Override
    public Optional<String> lookup(String key) {
        String cached = cache.getIfPresent(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        String found = select(key);
        if (found != null) {
            cache.put(key, found);
        }
        return Optional.ofNullable(found);
    }

    @Override
    public String placeIfAbsent(String key, String shard) {
        String insert = dialect == Dialect.MYSQL
                ? "INSERT IGNORE INTO " + table + " (rule_name, shard_key, shard) VALUES (?, ?, ?)"
                : "INSERT INTO " + table + " (rule_name, shard_key, shard) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(insert)) {
            ps.setString(1, rule);
            ps.setString(2, key);
            ps.setString(3, shard);
            ps.executeUpdate();
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException e) {
            throw failure("record key " + key, e);
        }
        String winner = select(key);
        if (winner == null) {
            throw new RoutingException("directory rule '" + rule + "': key " + key + " vanished from " + table
                    + " right after it was placed; is something deleting directory entries?");
        }
        cache.put(key, winner);
        return winner;
    }

    /** Forgets a cached entry, e.g. after the key was moved to another shard. */
    public void invalidate(String key) {
        cache.invalidate(key);
    }

    private String select(String key) {
        String sql = "SELECT shard FROM " + table + " WHERE rule_name = ? AND shard_key = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, rule);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw failure("look up key " + key, e);
        }
    }

    private RoutingException failure(String what, SQLException e) {
        return new RoutingException(e.getSQLState() == null ? "08000" : e.getSQLState(),
                "directory rule '" + rule + "': cannot " + what + " in " + table + ": " + e.getMessage());
    }
}
