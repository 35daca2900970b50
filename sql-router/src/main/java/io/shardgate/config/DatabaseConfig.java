package io.shardgate.config;

import java.util.Map;

/** One physical database: where it is and how to log in. {@code pool} overrides the global pool settings. */
public record DatabaseConfig(String name, String url, String user, String password, Map<String, String> properties,
                             PoolConfig pool) {
    public Dialect dialect() {
        return Dialect.ofJdbcUrl(url);
    }

    @Override
    public String toString() {
        return "DatabaseConfig[" + name + ", " + url + ", user=" + user + "]";
    }
}
