package io.shardgate.analysis;

/** The backend family a statement is written for; quoting and comment rules differ between them. */
public enum Dialect {
    POSTGRESQL,
    MYSQL
}
