package io.shardgate.config;

import java.time.Duration;

/** Connection pool settings for each physical database (HikariCP in the driver, backend pools in the proxy). */
public record PoolConfig(int maximumPoolSize, int minimumIdle, Duration connectionTimeout, Duration idleTimeout,
                         Duration maxLifetime) {
    public static final PoolConfig DEFAULT = new PoolConfig(10, 0, Duration.ofSeconds(10), Duration.ofMinutes(10),
            Duration.ofMinutes(30));
}
