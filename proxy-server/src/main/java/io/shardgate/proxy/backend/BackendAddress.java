package io.shardgate.proxy.backend;

import io.shardgate.config.DatabaseConfig;

import java.net.URI;

/** Where one physical database is and how to log in, read from its JDBC URL and credentials in the config. */
public record BackendAddress(String name, String host, int port, String database, String user, String password) {

    public static BackendAddress of(DatabaseConfig db) {
        String url = db.url();
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("databases." + db.name() + ".url: the proxy speaks PostgreSQL only, got "
                    + url);
        }
        URI uri = URI.create(url.substring("jdbc:".length()));
        String path = uri.getPath() == null || uri.getPath().length() <= 1 ? db.user() : uri.getPath().substring(1);
        return new BackendAddress(db.name(), uri.getHost() == null ? "localhost" : uri.getHost(),
                uri.getPort() < 0 ? 5432 : uri.getPort(), path, db.user(), db.password() == null ? "" : db.password());
    }

    @Override
    public String toString() {
        return name + " (" + user + "@" + host + ":" + port + "/" + database + ")";
    }
}
