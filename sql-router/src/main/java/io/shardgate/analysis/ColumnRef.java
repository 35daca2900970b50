package io.shardgate.analysis;

/**
 * A column as written in the statement; the router resolves the qualifier (an alias or table name) against
 * {@link TableRef}s. Names are lower-cased unless they were quoted.
 *
 * @param qualifier alias or table name, null when unqualified
 * @param column    the column name
 */
public record ColumnRef(String qualifier, String column) {
    @Override
    public String toString() {
        return qualifier == null ? column : qualifier + "." + column;
    }
}
