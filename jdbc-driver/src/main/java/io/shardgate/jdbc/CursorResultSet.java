package io.shardgate.jdbc;

import io.shardgate.merge.ListRowCursor;
import io.shardgate.merge.RowCursor;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A forward-only, read-only ResultSet over a {@link RowCursor}: the merged result of several shards, or rows
 * shardgate made itself (EXPLAIN ROUTE, generated keys; see {@link #inMemory}). Getters convert like the physical
 * drivers do ({@link Values}); column labels are found case-insensitively; closing it closes the cursor and then
 * runs {@code onClose} (which returns the physical connections the rows came from).
 */
public final class CursorResultSet extends UnsupportedResultSet {
    /** What to run once when the result set closes; may fail. */
    @FunctionalInterface
    interface OnClose {
        void run() throws SQLException;
    }

    private final RowCursor cursor;
    private final ResultSetMetaData metaData;
    private final Statement statement;
    private final OnClose onClose;
    private final boolean postgres;
    private final long maxRows;
    private Map<String, Integer> labels;
    private long row;
    private boolean afterLast;
    private boolean onRow;
    private boolean closed;
    private boolean wasNull;
    private int fetchSize;

    CursorResultSet(RowCursor cursor, ResultSetMetaData metaData, Statement statement, OnClose onClose,
                    boolean postgres, long maxRows) {
        this.cursor = cursor;
        this.metaData = metaData;
        this.statement = statement;
        this.onClose = onClose;
        this.postgres = postgres;
        this.maxRows = maxRows;
    }

    /**
     * A result held in memory: {@code columns} labels, each with its {@link Types} code, and the rows (each an array
     * as wide as the columns).
     */
    public static CursorResultSet inMemory(List<String> columns, List<Integer> sqlTypes, List<Object[]> rows,
                                           Statement statement) {
        return new CursorResultSet(new ListRowCursor(columns.size(), rows), new SimpleMetaData(columns, sqlTypes),
                statement, null, true, 0);
    }

    /** An in-memory result of text columns, e.g. the EXPLAIN ROUTE rows. */
    static CursorResultSet ofText(List<String> columns, List<List<String>> rows, Statement statement) {
        List<Object[]> data = new ArrayList<>(rows.size());
        List<Integer> types = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            types.add(Types.VARCHAR);
        }
        for (List<String> r : rows) {
            data.add(r.toArray());
        }
        return inMemory(columns, types, data, statement);
    }

    @Override
    protected SQLException unsupported(String method) {
        return new SQLFeatureNotSupportedException("ResultSet." + method + " is not supported on a shardgate "
                + "merged or generated result (forward-only, read-only)", "0A000");
    }

    private void checkOpen() throws SQLException {
        if (closed) {
            throw new SQLException("the result set is closed", "24000");
        }
    }

    private Object value(int column) throws SQLException {
        checkOpen();
        if (!onRow) {
            throw new SQLException(afterLast ? "the result set is after its last row"
                    : "the result set is before its first row: call next() first", "24000");
        }
        if (column < 1 || column > cursor.columnCount()) {
            throw new SQLException("column index " + column + " is out of range 1.." + cursor.columnCount(), "22023");
        }
        Object v = cursor.get(column - 1);
        wasNull = v == null;
        return v;
    }

    @Override
    public boolean next() throws SQLException {
        checkOpen();
        if (afterLast) {
            return false;
        }
        if (maxRows > 0 && row >= maxRows) {
            onRow = false;
            afterLast = true;
            return false;
        }
        onRow = cursor.next();
        if (onRow) {
            row++;
        } else {
            afterLast = true;
        }
        return onRow;
    }

    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        onRow = false;
        try {
            cursor.close();
        } finally {
            if (onClose != null) {
                onClose.run();
            }
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean wasNull() throws SQLException {
        checkOpen();
        return wasNull;
    }

    @Override
    public int findColumn(String label) throws SQLException {
        checkOpen();
        if (labels == null) {
            Map<String, Integer> m = new HashMap<>();
            int n = metaData.getColumnCount();
            for (int i = n; i >= 1; i--) { // backwards so that the first of duplicate labels wins
                m.put(metaData.getColumnLabel(i).toLowerCase(Locale.ROOT), i);
            }
            labels = m;
        }
        Integer i = label == null ? null : labels.get(label.toLowerCase(Locale.ROOT));
        if (i == null) {
            throw new SQLException("the result has no column named '" + label + "' (columns: " + labelList() + ")",
                    "42703");
        }
        return i;
    }

    private String labelList() throws SQLException {
        List<String> l = new ArrayList<>();
        for (int i = 1; i <= metaData.getColumnCount(); i++) {
            l.add(metaData.getColumnLabel(i));
        }
        return String.join(", ", l);
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        checkOpen();
        return metaData;
    }

    @Override
    public Statement getStatement() {
        return statement;
    }

    // --- getters by index

    @Override
    public Object getObject(int column) throws SQLException {
        return value(column);
    }

    @Override
    public <T> T getObject(int column, Class<T> type) throws SQLException {
        return Values.convert(value(column), type, postgres);
    }

    @Override
    public Object getObject(int column, Map<String, Class<?>> map) throws SQLException {
        return value(column);
    }

    @Override
    public String getString(int column) throws SQLException {
        return Values.toString(value(column), postgres);
    }

    @Override
    public String getNString(int column) throws SQLException {
        return getString(column);
    }

    @Override
    public boolean getBoolean(int column) throws SQLException {
        return Values.toBoolean(value(column));
    }

    @Override
    public byte getByte(int column) throws SQLException {
        return (byte) Values.toLong(value(column), Byte.MIN_VALUE, Byte.MAX_VALUE, "byte");
    }

    @Override
    public short getShort(int column) throws SQLException {
        return (short) Values.toLong(value(column), Short.MIN_VALUE, Short.MAX_VALUE, "short");
    }

    @Override
    public int getInt(int column) throws SQLException {
        return (int) Values.toLong(value(column), Integer.MIN_VALUE, Integer.MAX_VALUE, "int");
    }

    @Override
    public long getLong(int column) throws SQLException {
        return Values.toLong(value(column), Long.MIN_VALUE, Long.MAX_VALUE, "long");
    }

    @Override
    public float getFloat(int column) throws SQLException {
        return (float) Values.toDouble(value(column));
    }

    @Override
    public double getDouble(int column) throws SQLException {
        return Values.toDouble(value(column));
    }

    @Override
    public BigDecimal getBigDecimal(int column) throws SQLException {
        return Values.toBigDecimal(value(column));
    }

    @Override
    @Deprecated
    public BigDecimal getBigDecimal(int column, int scale) throws SQLException {
        BigDecimal d = getBigDecimal(column);
        return d == null ? null : d.setScale(scale, RoundingMode.HALF_UP);
    }

    @Override
    public byte[] getBytes(int column) throws SQLException {
        return Values.toBytes(value(column));
    }

    @Override
    public Date getDate(int column) throws SQLException {
        return Values.toDate(value(column), null);
    }

    @Override
    public Date getDate(int column, Calendar cal) throws SQLException {
        return Values.toDate(value(column), cal);
    }

    @Override
    public Time getTime(int column) throws SQLException {
        return Values.toTime(value(column), null);
    }

    @Override
    public Time getTime(int column, Calendar cal) throws SQLException {
        return Values.toTime(value(column), cal);
    }

    @Override
    public Timestamp getTimestamp(int column) throws SQLException {
        return Values.toTimestamp(value(column), null);
    }

    @Override
    public Timestamp getTimestamp(int column, Calendar cal) throws SQLException {
        return Values.toTimestamp(value(column), cal);
    }

    @Override
    public InputStream getBinaryStream(int column) throws SQLException {
        byte[] b = getBytes(column);
        return b == null ? null : new ByteArrayInputStream(b);
    }

    @Override
    public InputStream getAsciiStream(int column) throws SQLException {
        String s = getString(column);
        return s == null ? null : new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    @Deprecated
    public InputStream getUnicodeStream(int column) throws SQLException {
        String s = getString(column);
        return s == null ? null : new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Reader getCharacterStream(int column) throws SQLException {
        String s = getString(column);
        return s == null ? null : new StringReader(s);
    }

    @Override
    public Reader getNCharacterStream(int column) throws SQLException {
        return getCharacterStream(column);
    }

    @Override
    public Array getArray(int column) throws SQLException {
        Object v = value(column);
        if (v == null || v instanceof Array) {
            return (Array) v;
        }
        throw Values.cannot(v, "Array");
    }

    @Override
    public Blob getBlob(int column) throws SQLException {
        Object v = value(column);
        if (v == null || v instanceof Blob) {
            return (Blob) v;
        }
        throw Values.cannot(v, "Blob");
    }

    @Override
    public Clob getClob(int column) throws SQLException {
        Object v = value(column);
        if (v == null || v instanceof Clob) {
            return (Clob) v;
        }
        throw Values.cannot(v, "Clob");
    }

    @Override
    public NClob getNClob(int column) throws SQLException {
        Object v = value(column);
        if (v == null || v instanceof NClob) {
            return (NClob) v;
        }
        throw Values.cannot(v, "NClob");
    }

    // --- getters by label

    @Override
    public Object getObject(String label) throws SQLException {
        return getObject(findColumn(label));
    }

    @Override
    public <T> T getObject(String label, Class<T> type) throws SQLException {
        return getObject(findColumn(label), type);
    }

    @Override
    public Object getObject(String label, Map<String, Class<?>> map) throws SQLException {
        return getObject(findColumn(label));
    }

    @Override
    public String getString(String label) throws SQLException {
        return getString(findColumn(label));
    }

    @Override
    public String getNString(String label) throws SQLException {
        return getString(findColumn(label));
    }

    @Override
    public boolean getBoolean(String label) throws SQLException {
        return getBoolean(findColumn(label));
    }

    @Override
    public byte getByte(String label) throws SQLException {
        return getByte(findColumn(label));
    }

    @Override
    public short getShort(String label) throws SQLException {
        return getShort(findColumn(label));
    }

    @Override
    public int getInt(String label) throws SQLException {
        return getInt(findColumn(label));
    }

    @Override
    public long getLong(String label) throws SQLException {
        return getLong(findColumn(label));
    }

    @Override
    public float getFloat(String label) throws SQLException {
        return getFloat(findColumn(label));
    }

    @Override
    public double getDouble(String label) throws SQLException {
        return getDouble(findColumn(label));
    }

    @Override
    public BigDecimal getBigDecimal(String label) throws SQLException {
        return getBigDecimal(findColumn(label));
    }

    @Override
    @Deprecated
    public BigDecimal getBigDecimal(String label, int scale) throws SQLException {
        return getBigDecimal(findColumn(label), scale);
    }

    @Override
    public byte[] getBytes(String label) throws SQLException {
        return getBytes(findColumn(label));
    }

    @Override
    public Date getDate(String label) throws SQLException {
        return getDate(findColumn(label));
    }

    @Override
    public Date getDate(String label, Calendar cal) throws SQLException {
        return getDate(findColumn(label), cal);
    }

    @Override
    public Time getTime(String label) throws SQLException {
        return getTime(findColumn(label));
    }

    @Override
    public Time getTime(String label, Calendar cal) throws SQLException {
        return getTime(findColumn(label), cal);
    }

    @Override
    public Timestamp getTimestamp(String label) throws SQLException {
        return getTimestamp(findColumn(label));
    }

    @Override
    public Timestamp getTimestamp(String label, Calendar cal) throws SQLException {
        return getTimestamp(findColumn(label), cal);
    }

    @Override
    public InputStream getBinaryStream(String label) throws SQLException {
        return getBinaryStream(findColumn(label));
    }

    @Override
    public InputStream getAsciiStream(String label) throws SQLException {
        return getAsciiStream(findColumn(label));
    }

    @Override
    @Deprecated
    public InputStream getUnicodeStream(String label) throws SQLException {
        return getUnicodeStream(findColumn(label));
    }

    @Override
    public Reader getCharacterStream(String label) throws SQLException {
        return getCharacterStream(findColumn(label));
    }

    @Override
    public Reader getNCharacterStream(String label) throws SQLException {
        return getCharacterStream(findColumn(label));
    }

    @Override
    public Array getArray(String label) throws SQLException {
        return getArray(findColumn(label));
    }

    @Override
    public Blob getBlob(String label) throws SQLException {
        return getBlob(findColumn(label));
    }

    @Override
    public Clob getClob(String label) throws SQLException {
        return getClob(findColumn(label));
    }

    @Override
    public NClob getNClob(String label) throws SQLException {
        return getNClob(findColumn(label));
    }

    // --- position and properties

    @Override
    public boolean isBeforeFirst() throws SQLException {
        checkOpen();
        return row == 0 && !afterLast;
    }

    @Override
    public boolean isAfterLast() throws SQLException {
        checkOpen();
        return afterLast && row > 0;
    }

    @Override
    public boolean isFirst() throws SQLException {
        checkOpen();
        return onRow && row == 1;
    }

    @Override
    public int getRow() throws SQLException {
        checkOpen();
        return onRow ? (int) row : 0;
    }

    @Override
    public int getType() {
        return ResultSet.TYPE_FORWARD_ONLY;
    }

    @Override
    public int getConcurrency() {
        return ResultSet.CONCUR_READ_ONLY;
    }

    @Override
    public int getHoldability() {
        return ResultSet.CLOSE_CURSORS_AT_COMMIT;
    }

    @Override
    public int getFetchDirection() {
        return ResultSet.FETCH_FORWARD;
    }

    @Override
    public void setFetchDirection(int direction) throws SQLException {
        if (direction != ResultSet.FETCH_FORWARD) {
            throw unsupported("setFetchDirection(other than FETCH_FORWARD)");
        }
    }

    @Override
    public int getFetchSize() {
        return fetchSize;
    }

    @Override
    public void setFetchSize(int rows) throws SQLException {
        if (rows < 0) {
            throw new SQLException("fetch size must be >= 0, got " + rows, "22023");
        }
        fetchSize = rows;
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public void clearWarnings() {
    }

    @Override
    public String getCursorName() throws SQLException {
        throw unsupported("getCursorName");
    }

    @Override
    public boolean rowUpdated() {
        return false;
    }

    @Override
    public boolean rowInserted() {
        return false;
    }

    @Override
    public boolean rowDeleted() {
        return false;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return (T) this;
        }
        throw new SQLException("a shardgate merged result is not a " + iface.getName(), "0A000");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
