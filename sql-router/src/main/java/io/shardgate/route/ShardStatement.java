package io.shardgate.route;

import java.util.List;

/**
 * One physical statement: the SQL text to send to {@code database} (a member of {@code shard} in {@code role}) and
 * the parameter values that go with it, already renumbered when the text was cut for this shard.
 */
public record ShardStatement(String shard, Role role, String database, String sql, List<Object> parameters) {
}
