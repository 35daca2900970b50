package io.shardgate.jdbc;

import io.shardgate.merge.ListRowCursor;
import io.shardgate.merge.MergeSpec;
import io.shardgate.merge.Merger;
import io.shardgate.merge.RowCursor;
import io.shardgate.merge.SortKey;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CursorResultSetTest {
    private static ResultSet one(String label, Object value) {
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {value});
        return CursorResultSet.inMemory(List.of(label), List.of(Types.OTHER), rows, null);
    }

    private static ResultSet onRow(Object value) throws SQLException {
        ResultSet rs = one("v", value);
        assertTrue(rs.next());
        return rs;
    }

    @Test
    void numbersConvertBetweenEachOtherAndFromText() throws SQLException {
        assertEquals(42, onRow(42L).getInt(1));
        assertEquals(42L, onRow(42).getLong(1));
        assertEquals(42, onRow("42").getInt(1));
        assertEquals(42, onRow(" 42 ").getInt(1));
        assertEquals(7, onRow(new BigDecimal("7.9")).getInt(1));
        assertEquals(new BigDecimal("12.5"), onRow(12.5d).getBigDecimal(1));
        assertEquals(new BigDecimal("12"), onRow(12L).getBigDecimal(1));
        assertEquals(new BigDecimal("3.14"), onRow("3.14").getBigDecimal(1));
        assertEquals(1.5d, onRow(new BigDecimal("1.5")).getDouble(1));
        assertEquals((short) 3, onRow(3).getShort(1));
        assertEquals(1, onRow(true).getInt(1));
        SQLException e = assertThrows(SQLException.class, () -> onRow(5_000_000_000L).getInt(1));
        assertEquals("22003", e.getSQLState());
        e = assertThrows(SQLException.class, () -> onRow("abc").getLong(1));
        assertEquals("22018", e.getSQLState());
    }

    @Test
    void stringsLikePgjdbc() throws SQLException {
        assertEquals("42", onRow(42).getString(1));
        assertEquals("t", onRow(true).getString(1));
        assertEquals("1.50", onRow(new BigDecimal("1.50")).getString(1));
        assertEquals("2024-03-01 10:15:00", onRow(Timestamp.valueOf("2024-03-01 10:15:00")).getString(1));
        assertEquals("\\x0aff", onRow(new byte[] {10, -1}).getString(1));
    }

    @Test
    void booleans() throws SQLException {
        assertTrue(onRow(true).getBoolean(1));
        assertTrue(onRow("t").getBoolean(1));
        assertTrue(onRow(1).getBoolean(1));
        assertFalse(onRow("false").getBoolean(1));
        assertFalse(onRow(0L).getBoolean(1));
    }

    @Test
    void nullsAndWasNull() throws SQLException {
        ResultSet rs = onRow(null);
        assertEquals(0, rs.getInt(1));
        assertTrue(rs.wasNull());
        assertNull(rs.getString(1));
        assertTrue(rs.wasNull());
        assertNull(rs.getTimestamp(1));
        assertNull(rs.getObject(1, LocalDate.class));
        assertFalse(rs.getBoolean(1));
        ResultSet rs2 = onRow(5);
        assertEquals(5, rs2.getInt(1));
        assertFalse(rs2.wasNull());
    }

    @Test
    void datesAndTimes() throws SQLException {
        LocalDateTime ldt = LocalDateTime.of(2024, 3, 1, 10, 15, 30);
        assertEquals(Timestamp.valueOf(ldt), onRow(ldt).getTimestamp(1));
        assertEquals(Timestamp.valueOf(ldt), onRow(Timestamp.valueOf(ldt)).getTimestamp(1));
        assertEquals(Date.valueOf("2024-03-01"), onRow(Timestamp.valueOf(ldt)).getDate(1));
        assertEquals(Time.valueOf("10:15:30"), onRow(Timestamp.valueOf(ldt)).getTime(1));
        assertEquals(Date.valueOf("2024-03-01"), onRow(LocalDate.of(2024, 3, 1)).getDate(1));
        assertEquals(Timestamp.valueOf("2024-03-01 00:00:00"), onRow(Date.valueOf("2024-03-01")).getTimestamp(1));
        assertEquals(Timestamp.valueOf("2024-03-01 10:15:30"), onRow("2024-03-01 10:15:30").getTimestamp(1));
        OffsetDateTime odt = OffsetDateTime.of(ldt, ZoneOffset.ofHours(2));
        assertEquals(odt.toInstant(), onRow(odt).getTimestamp(1).toInstant());
        assertEquals(ldt, onRow(Timestamp.valueOf(ldt)).getObject(1, LocalDateTime.class));
        assertEquals(LocalDate.of(2024, 3, 1), onRow(Date.valueOf("2024-03-01")).getObject(1, LocalDate.class));
        assertEquals(LocalTime.of(10, 15, 30), onRow(Time.valueOf("10:15:30")).getObject(1, LocalTime.class));
        assertEquals(odt.toInstant(), onRow(odt).getObject(1, java.time.Instant.class));
    }

    @Test
    void calendarVariantsInterpretLocalValuesInTheCalendarsZone() throws SQLException {
        Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
        LocalDateTime ldt = LocalDateTime.of(2024, 3, 1, 10, 0);
        Timestamp ts = onRow(ldt).getTimestamp(1, utc);
        assertEquals(ldt.toInstant(ZoneOffset.UTC), ts.toInstant());
    }

    @Test
    void getObjectWithType() throws SQLException {
        assertEquals(42L, onRow(42).getObject(1, Long.class));
        assertEquals(42, onRow(42L).getObject(1, Integer.class));
        assertEquals("42", onRow(42).getObject(1, String.class));
        assertEquals(new BigDecimal("42"), onRow(42).getObject(1, BigDecimal.class));
        UUID id = UUID.randomUUID();
        assertEquals(id, onRow(id.toString()).getObject(1, UUID.class));
        assertEquals(id, onRow(id).getObject(1, UUID.class));
        assertArrayEquals(new byte[] {1, 2}, onRow(new byte[] {1, 2}).getObject(1, byte[].class));
    }

    @Test
    void columnsByLabelCaseInsensitiveFirstDuplicateWins() throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {1, "a", 2});
        ResultSet rs = CursorResultSet.inMemory(List.of("Id", "Name", "id"),
                List.of(Types.BIGINT, Types.VARCHAR, Types.BIGINT), rows, null);
        assertTrue(rs.next());
        assertEquals(1, rs.findColumn("ID"));
        assertEquals("a", rs.getString("name"));
        assertEquals(1, rs.getInt("id"));
        SQLException e = assertThrows(SQLException.class, () -> rs.getString("nope"));
        assertEquals("42703", e.getSQLState());
        assertTrue(e.getMessage().contains("Id, Name, id"), e.getMessage());
    }

    @Test
    void cursorPositionsAndClose() throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {1});
        rows.add(new Object[] {2});
        AtomicInteger closes = new AtomicInteger();
        CursorResultSet rs = new CursorResultSet(new ListRowCursor(1, rows),
                new SimpleMetaData(List.of("n"), List.of(Types.INTEGER)), null, closes::incrementAndGet, true, 0);
        assertTrue(rs.isBeforeFirst());
        assertThrows(SQLException.class, () -> rs.getInt(1));
        assertTrue(rs.next());
        assertTrue(rs.isFirst());
        assertEquals(1, rs.getRow());
        assertTrue(rs.next());
        assertEquals(2, rs.getInt(1));
        assertFalse(rs.next());
        assertTrue(rs.isAfterLast());
        assertFalse(rs.next());
        assertEquals(ResultSet.TYPE_FORWARD_ONLY, rs.getType());
        assertThrows(SQLFeatureNotSupportedException.class, rs::previous);
        assertThrows(SQLFeatureNotSupportedException.class, () -> rs.updateInt(1, 3));
        rs.close();
        rs.close();
        assertEquals(1, closes.get());
        assertTrue(rs.isClosed());
        assertThrows(SQLException.class, rs::next);
    }

    @Test
    void maxRowsCapsTheMergedResult() throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rows.add(new Object[] {i});
        }
        CursorResultSet rs = new CursorResultSet(new ListRowCursor(1, rows),
                new SimpleMetaData(List.of("n"), List.of(Types.INTEGER)), null, null, true, 2);
        assertTrue(rs.next());
        assertTrue(rs.next());
        assertFalse(rs.next());
    }

    @Test
    void mergedResultShowsOnlyVisibleColumns() throws SQLException {
        // each shard returns (name, sort_key); the caller asked only for name, ordered by the hidden key
        RowCursor s0 = ListRowCursor.of(2, new Object[] {"a", 1}, new Object[] {"c", 3});
        RowCursor s1 = ListRowCursor.of(2, new Object[] {"b", 2}, new Object[] {"d", 4});
        MergeSpec spec = new MergeSpec(1, List.of(new SortKey(1, false, false)), 0, -1, List.of(), List.of(), false,
                null);
        RowCursor merged = Merger.merge(List.of(s0, s1), spec);
        SimpleMetaData shardMeta = new SimpleMetaData(List.of("name", "sort_key"), List.of(Types.VARCHAR,
                Types.INTEGER));
        CursorResultSet rs = new CursorResultSet(merged, VisibleColumnsMetaData.of(shardMeta, 1), null, null, true, 0);
        assertEquals(1, rs.getMetaData().getColumnCount());
        assertEquals("name", rs.getMetaData().getColumnLabel(1));
        assertThrows(SQLException.class, () -> rs.getMetaData().getColumnLabel(2));
        StringBuilder sb = new StringBuilder();
        while (rs.next()) {
            sb.append(rs.getString("NAME"));
        }
        assertEquals("abcd", sb.toString());
        assertThrows(SQLException.class, () -> rs.findColumn("sort_key"));
        rs.close();
    }

    @Test
    void explainRowsAsText() throws SQLException {
        ResultSet rs = CursorResultSet.ofText(ShardgateStatement.EXPLAIN_COLUMNS,
                List.of(List.of("s0", "primary", "s0-primary", "SELECT 1")), null);
        assertEquals(4, rs.getMetaData().getColumnCount());
        assertEquals(Types.VARCHAR, rs.getMetaData().getColumnType(4));
        assertTrue(rs.next());
        assertEquals("s0", rs.getString("shard"));
        assertEquals("SELECT 1", rs.getString("SQL"));
        assertFalse(rs.next());
    }
}
