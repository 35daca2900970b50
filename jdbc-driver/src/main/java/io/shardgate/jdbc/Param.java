package io.shardgate.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * One bound parameter as the caller set it: the value the router sees, and how to bind it again on a physical
 * statement with the same setter and SQL type the caller used ({@code setTimestamp} with its Calendar,
 * {@code setNull} with its type, {@code setObject} with its target type...).
 */
record Param(Object value, Binder binder) {

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps, int index) throws SQLException;
    }

    /** The values of {@code params[0..count)} for the router; a gap is an unset parameter. */
    static List<Object> values(Param[] params, int count) throws SQLException {
        List<Object> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Param p = params[i];
            if (p == null) {
                throw new SQLException("no value specified for parameter " + (i + 1), "07001");
            }
            values.add(p.value);
        }
        return values;
    }

    /**
     * Binds one shard's parameter values. When the router passed the caller's values through unchanged (the usual
     * single-shard case) every parameter is replayed with its own setter. When it cut or renumbered them, each value
     * is matched back to the caller's parameter it came from (same object) for its setter; values the router made
     * itself are bound with {@code setObject}.
     */
    static void bind(PreparedStatement ps, List<Object> shardValues, Param[] params, int count) throws SQLException {
        int n = shardValues.size();
        if (params != null && n == count && sameValues(shardValues, params)) {
            for (int i = 0; i < n; i++) {
                params[i].binder.bind(ps, i + 1);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            Object v = shardValues.get(i);
            Param source = params == null ? null : find(v, i, params, count);
            if (source != null) {
                source.binder.bind(ps, i + 1);
            } else if (v == null) {
                ps.setNull(i + 1, Types.NULL);
            } else {
                ps.setObject(i + 1, v);
            }
        }
    }

    private static boolean sameValues(List<Object> values, Param[] params) {
        for (int i = 0, n = values.size(); i < n; i++) {
            if (values.get(i) != params[i].value) {
                return false;
            }
        }
        return true;
    }

    private static Param find(Object v, int position, Param[] params, int count) {
        if (v == null) {
            // a null carries no identity: take the caller's null at the same position if there is one
            return position < count && params[position] != null && params[position].value == null ? params[position]
                    : null;
        }
        if (position < count && params[position] != null && params[position].value == v) {
            return params[position];
        }
        for (int i = 0; i < count; i++) {
            if (params[i] != null && params[i].value == v) {
                return params[i];
            }
        }
        return null;
    }
}
