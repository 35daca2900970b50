package io.shardgate.jdbc;

import java.math.BigDecimal;
import java.sql.JDBCType;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/** Metadata of a result shardgate made itself: labelled columns of known JDBC types, all nullable. */
final class SimpleMetaData implements ResultSetMetaData {
    private final List<String> labels;
    private final List<Integer> types;

    SimpleMetaData(List<String> labels, List<Integer> types) {
        if (labels.size() != types.size()) {
            throw new IllegalArgumentException(labels.size() + " labels but " + types.size() + " types");
        }
        this.labels = List.copyOf(labels);
        this.types = List.copyOf(types);
    }

    private int check(int column) throws SQLException {
        if (column < 1 || column > labels.size()) {
            throw new SQLException("column index " + column + " is out of range 1.." + labels.size(), "22023");
        }
        return column - 1;
    }

    @Override
    public int getColumnCount() {
        return labels.size();
    }

    @Override
    public boolean isAutoIncrement(int column) throws SQLException {
        check(column);
        return false;
    }

    @Override
    public boolean isCaseSensitive(int column) throws SQLException {
        return types.get(check(column)) == Types.VARCHAR;
    }

    @Override
    public boolean isSearchable(int column) throws SQLException {
        check(column);
        return false;
    }

    @Override
    public boolean isCurrency(int column) throws SQLException {
        check(column);
        return false;
    }

    @Override
    public int isNullable(int column) throws SQLException {
        check(column);
        return columnNullable;
    }

    @Override
    public boolean isSigned(int column) throws SQLException {
        int t = types.get(check(column));
        return t == Types.BIGINT || t == Types.INTEGER || t == Types.NUMERIC || t == Types.DOUBLE;
    }

    @Override
    public int getColumnDisplaySize(int column) throws SQLException {
        int t = types.get(check(column));
        return t == Types.BIGINT ? 20 : t == Types.INTEGER ? 11 : Integer.MAX_VALUE;
    }

    @Override
    public String getColumnLabel(int column) throws SQLException {
        return labels.get(check(column));
    }

    @Override
    public String getColumnName(int column) throws SQLException {
        return labels.get(check(column));
    }

    @Override
    public String getSchemaName(int column) throws SQLException {
        check(column);
        return "";
    }

    @Override
    public int getPrecision(int column) throws SQLException {
        int t = types.get(check(column));
        return t == Types.BIGINT ? 19 : t == Types.INTEGER ? 10 : 0;
    }

    @Override
    public int getScale(int column) throws SQLException {
        check(column);
        return 0;
    }

    @Override
    public String getTableName(int column) throws SQLException {
        check(column);
        return "";
    }

    @Override
    public String getCatalogName(int column) throws SQLException {
        check(column);
        return "";
    }

    @Override
    public int getColumnType(int column) throws SQLException {
        return types.get(check(column));
    }

    @Override
    public String getColumnTypeName(int column) throws SQLException {
        return JDBCType.valueOf(types.get(check(column))).getName().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public boolean isReadOnly(int column) throws SQLException {
        check(column);
        return true;
    }

    @Override
    public boolean isWritable(int column) throws SQLException {
        check(column);
        return false;
    }

    @Override
    public boolean isDefinitelyWritable(int column) throws SQLException {
        check(column);
        return false;
    }

    @Override
    public String getColumnClassName(int column) throws SQLException {
        return switch (types.get(check(column))) {
            case Types.BIGINT -> Long.class.getName();
            case Types.INTEGER -> Integer.class.getName();
            case Types.NUMERIC, Types.DECIMAL -> BigDecimal.class.getName();
            default -> String.class.getName();
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return (T) this;
        }
        throw new SQLException("not a wrapper for " + iface.getName(), "0A000");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
