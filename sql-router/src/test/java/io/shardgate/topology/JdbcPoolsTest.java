package io.shardgate.topology;

import com.zaxxer.hikari.HikariDataSource;
import io.shardgate.config.DatabaseConfig;
import io.shardgate.config.PoolConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class JdbcPoolsTest {
    private static final DatabaseConfig DB = new DatabaseConfig("s0-primary", "jdbc:mariadb://127.0.0.1:1/app",
            "app", "secret", Map.of("connectTimeout", "1000"), null);

    @Test
    void mariadbUrlsUseTheBundledMysqlDriverWhenNoMariadbDriverIsPresent() {
        assertEquals("jdbc:mysql://h:3306/app?x=1", JdbcPools.jdbcUrl("jdbc:mariadb://h:3306/app?x=1"));
        assertEquals("jdbc:postgresql://h/app", JdbcPools.jdbcUrl("jdbc:postgresql://h/app"));
    }

    @Test
    void everyPoolCarriesTheDatabasesUrlCredentialsAndPropertiesAndStartsOnFirstUse() {
        PoolConfig pool = new PoolConfig(7, 2, Duration.ofSeconds(3), Duration.ofMinutes(4), Duration.ofMinutes(20));
        try (HikariDataSource lazy = JdbcPools.lazy(DB, "data-s0", pool);
             HikariDataSource small = JdbcPools.small(DB, "control-s0", 2)) {
            for (HikariDataSource ds : new HikariDataSource[]{lazy, small}) {
                assertEquals("jdbc:mysql://127.0.0.1:1/app", ds.getJdbcUrl());
                assertEquals("app", ds.getUsername());
                assertEquals("secret", ds.getPassword());
                assertEquals("1000", ds.getDataSourceProperties().getProperty("connectTimeout"));
                assertFalse(ds.isRunning(), "a pool connects on its first getConnection, not when it is made");
            }
            assertEquals(7, lazy.getMaximumPoolSize());
            assertEquals(2, lazy.getMinimumIdle());
            assertEquals(3000, lazy.getConnectionTimeout());
            assertEquals(Duration.ofMinutes(4).toMillis(), lazy.getIdleTimeout());
            assertEquals(Duration.ofMinutes(20).toMillis(), lazy.getMaxLifetime());
            assertEquals(2, small.getMaximumPoolSize());
            assertEquals(0, small.getMinimumIdle());
        }
    }
}
