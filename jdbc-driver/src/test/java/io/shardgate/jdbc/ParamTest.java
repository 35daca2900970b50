package io.shardgate.jdbc;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ParamTest {
    /** A PreparedStatement that records the setter calls it gets. */
    private static PreparedStatement recorder(List<String> calls) {
        return (PreparedStatement) Proxy.newProxyInstance(ParamTest.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (p, m, args) -> {
                    calls.add(m.getName() + Arrays.toString(args));
                    return null;
                });
    }

    @Test
    void unchangedValuesReplayTheCallersSetters() throws SQLException {
        Calendar cal = Calendar.getInstance();
        Timestamp ts = Timestamp.valueOf("2024-01-01 00:00:00");
        Param[] params = {
                new Param(7L, (ps, i) -> ps.setLong(i, 7L)),
                new Param(null, (ps, i) -> ps.setNull(i, Types.VARCHAR)),
                new Param(ts, (ps, i) -> ps.setTimestamp(i, ts, cal)),
        };
        List<String> calls = new ArrayList<>();
        Param.bind(recorder(calls), Param.values(params, 3), params, 3);
        assertEquals(List.of("setLong[1, 7]", "setNull[2, 12]", "setTimestamp[3, " + ts + ", " + cal + "]"), calls);
    }

    @Test
    void cutValuesAreMatchedBackToTheirSetters() throws SQLException {
        Long a = 1000L;
        Long b = 2000L;
        Long c = 3000L;
        Param[] params = {
                new Param(a, (ps, i) -> ps.setLong(i, a)),
                new Param(b, (ps, i) -> ps.setInt(i, 2000)),
                new Param(c, (ps, i) -> ps.setLong(i, c)),
        };
        // the router kept only b and c for this shard, and added a value of its own
        List<Object> shardValues = new ArrayList<>(List.of(c, b));
        shardValues.add("router-made");
        List<String> calls = new ArrayList<>();
        Param.bind(recorder(calls), shardValues, params, 3);
        assertEquals(List.of("setLong[1, 3000]", "setInt[2, 2000]", "setObject[3, router-made]"), calls);
    }

    @Test
    void plainStatementValuesUseSetObject() throws SQLException {
        List<String> calls = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        values.add(5);
        values.add(null);
        Param.bind(recorder(calls), values, null, 0);
        assertEquals(List.of("setObject[1, 5]", "setNull[2, 0]"), calls);
    }

    @Test
    void unsetParameterIsNamed() {
        Param[] params = {new Param(1, (ps, i) -> ps.setInt(i, 1)), null};
        SQLException e = assertThrows(SQLException.class, () -> Param.values(params, 2));
        assertEquals("07001", e.getSQLState());
        assertEquals("no value specified for parameter 2", e.getMessage());
    }
}
