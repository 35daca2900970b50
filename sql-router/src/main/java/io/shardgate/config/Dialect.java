package io.shardgate.config;

/** The SQL family of the physical databases; decides quoting, parameter style and NULL ordering. */
public enum Dialect {
    POSTGRESQL,
    MYSQL;

    /** The dialect a JDBC URL speaks, or null when shardgate does not support it. */
    public static Dialect ofJdbcUrl(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (url.startsWith("jdbc:mysql:") || url.startsWith("jdbc:mariadb:")) {
            return MYSQL;
        }
        return null;
    }

    /** Where NULLs sort when ORDER BY says nothing: PostgreSQL treats NULL as largest, MySQL as smallest. */
    public boolean nullsFirstByDefault(boolean descending) {
        return this == POSTGRESQL ? descending : !descending;
    }
}
