package io.shardgate.jdbc;

import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A logical PreparedStatement. Every setter records the value (the router needs values to route) and how it was
 * set ({@link Param}), so that each physical statement gets the same setter, SQL type and Calendar the caller used.
 * Physical statements are prepared on the connection each execution borrows; the backend drivers' statement
 * caches make that cheap.
 */
public final class ShardgatePreparedStatement extends ShardgateStatement implements PreparedStatement {
    private final String sql;
    private Param[] params = new Param[8];
    private int count;
    private List<BatchEntry> batch;

    ShardgatePreparedStatement(ShardgateConnection connection, String sql, int resultSetType,
                               int resultSetConcurrency, int resultSetHoldability) {
        super(connection, resultSetType, resultSetConcurrency, resultSetHoldability);
        this.sql = sql;
    }

    private void set(int index, Object value, Param.Binder binder) throws SQLException {
        checkOpen();
        if (index < 1) {
            throw new SQLException("parameter index " + index + " is out of range (parameters are numbered from 1)",
                    "22023");
        }
        if (index > params.length) {
            params = Arrays.copyOf(params, Math.max(index, params.length * 2));
        }
        params[index - 1] = new Param(value, binder);
        if (index > count) {
            count = index;
        }
    }

    @Override
    public void clearParameters() throws SQLException {
        checkOpen();
        Arrays.fill(params, null);
        count = 0;
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        if (!run(sql, params, count)) {
            throw noResultSet();
        }
        return currentResultSet();
    }

    @Override
    public int executeUpdate() throws SQLException {
        return (int) executeLargeUpdate();
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        if (run(sql, params, count)) {
            throw unexpectedResultSet();
        }
        return currentUpdateCount();
    }

    @Override
    public boolean execute() throws SQLException {
        return run(sql, params, count);
    }

    @Override
    public void addBatch() throws SQLException {
        checkOpen();
        if (batch == null) {
            batch = new ArrayList<>();
        }
        batch.add(new BatchEntry(sql, Arrays.copyOf(params, count), count));
    }

    @Override
    public void clearBatch() throws SQLException {
        checkOpen();
        batch = null;
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        checkOpen();
        List<BatchEntry> entries = batch == null ? List.of() : batch;
        batch = null;
        return runBatch(entries);
    }

    @Override
    public int[] executeBatch() throws SQLException {
        return toInts(executeLargeBatch());
    }

    /** The metadata of the current result, if any; before execution shardgate cannot tell which shard answers. */
    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        checkOpen();
        ResultSet rs = currentResultSet();
        return rs == null ? null : rs.getMetaData();
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        throw Errors.unsupported("PreparedStatement.getParameterMetaData (the physical statement is prepared per "
                + "execution, on the shard the parameters select)");
    }

    // --- a PreparedStatement's SQL is fixed: the Statement methods taking SQL text are refused (JDBC 4.3, 13.2.4)

    private static SQLException sqlGiven() {
        return new SQLException("a PreparedStatement executes its own SQL: call the method without an SQL argument",
                "S1009");
    }

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        throw sqlGiven();
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        throw sqlGiven();
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        throw sqlGiven();
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        throw sqlGiven();
    }

    // --- setters: record value and setter

    @Override
    public void setNull(int index, int sqlType) throws SQLException {
        set(index, null, (ps, i) -> ps.setNull(i, sqlType));
    }

    @Override
    public void setNull(int index, int sqlType, String typeName) throws SQLException {
        set(index, null, (ps, i) -> ps.setNull(i, sqlType, typeName));
    }

    @Override
    public void setBoolean(int index, boolean x) throws SQLException {
        set(index, x, (ps, i) -> ps.setBoolean(i, x));
    }

    @Override
    public void setByte(int index, byte x) throws SQLException {
        set(index, x, (ps, i) -> ps.setByte(i, x));
    }

    @Override
    public void setShort(int index, short x) throws SQLException {
        set(index, x, (ps, i) -> ps.setShort(i, x));
    }

    @Override
    public void setInt(int index, int x) throws SQLException {
        set(index, x, (ps, i) -> ps.setInt(i, x));
    }

    @Override
    public void setLong(int index, long x) throws SQLException {
        set(index, x, (ps, i) -> ps.setLong(i, x));
    }

    @Override
    public void setFloat(int index, float x) throws SQLException {
        set(index, x, (ps, i) -> ps.setFloat(i, x));
    }

    @Override
    public void setDouble(int index, double x) throws SQLException {
        set(index, x, (ps, i) -> ps.setDouble(i, x));
    }

    @Override
    public void setBigDecimal(int index, java.math.BigDecimal x) throws SQLException {
        set(index, x, (ps, i) -> ps.setBigDecimal(i, x));
    }

    @Override
    public void setString(int index, String x) throws SQLException {
        set(index, x, (ps, i) -> ps.setString(i, x));
    }

    @Override
    public void setNString(int index, String x) throws SQLException {
        set(index, x, (ps, i) -> ps.setNString(i, x));
    }

    @Override
    public void setBytes(int index, byte[] x) throws SQLException {
        set(index, x, (ps, i) -> ps.setBytes(i, x));
    }

    @Override
    public void setDate(int index, java.sql.Date x) throws SQLException {
        set(index, x, (ps, i) -> ps.setDate(i, x));
    }

    @Override
    public void setDate(int index, java.sql.Date x, java.util.Calendar cal) throws SQLException {
        set(index, x, (ps, i) -> ps.setDate(i, x, cal));
    }

    @Override
    public void setTime(int index, java.sql.Time x) throws SQLException {
        set(index, x, (ps, i) -> ps.setTime(i, x));
    }

    @Override
    public void setTime(int index, java.sql.Time x, java.util.Calendar cal) throws SQLException {
        set(index, x, (ps, i) -> ps.setTime(i, x, cal));
    }

    @Override
    public void setTimestamp(int index, java.sql.Timestamp x) throws SQLException {
        set(index, x, (ps, i) -> ps.setTimestamp(i, x));
    }

    @Override
    public void setTimestamp(int index, java.sql.Timestamp x, java.util.Calendar cal) throws SQLException {
        set(index, x, (ps, i) -> ps.setTimestamp(i, x, cal));
    }

    @Override
    public void setAsciiStream(int index, java.io.InputStream x) throws SQLException {
        set(index, x, (ps, i) -> ps.setAsciiStream(i, x));
    }

    @Override
    public void setAsciiStream(int index, java.io.InputStream x, int length) throws SQLException {
        set(index, x, (ps, i) -> ps.setAsciiStream(i, x, length));
    }

    @Override
    public void setAsciiStream(int index, java.io.InputStream x, long length) throws SQLException {
        set(index, x, (ps, i) -> ps.setAsciiStream(i, x, length));
    }

    @Deprecated
    @Override
    public void setUnicodeStream(int index, java.io.InputStream x, int length) throws SQLException {
        set(index, x, (ps, i) -> ps.setUnicodeStream(i, x, length));
    }

    @Override
    public void setBinaryStream(int index, java.io.InputStream x) throws SQLException {
        set(index, x, (ps, i) -> ps.setBinaryStream(i, x));
    }

    @Override
    public void setBinaryStream(int index, java.io.InputStream x, int length) throws SQLException {
        set(index, x, (ps, i) -> ps.setBinaryStream(i, x, length));
    }

    @Override
    public void setBinaryStream(int index, java.io.InputStream x, long length) throws SQLException {
        set(index, x, (ps, i) -> ps.setBinaryStream(i, x, length));
    }

    @Override
    public void setCharacterStream(int index, java.io.Reader x) throws SQLException {
        set(index, x, (ps, i) -> ps.setCharacterStream(i, x));
    }

    @Override
    public void setCharacterStream(int index, java.io.Reader x, int length) throws SQLException {
        set(index, x, (ps, i) -> ps.setCharacterStream(i, x, length));
    }

    @Override
    public void setCharacterStream(int index, java.io.Reader x, long length) throws SQLException {
        set(index, x, (ps, i) -> ps.setCharacterStream(i, x, length));
    }

    @Override
    public void setNCharacterStream(int index, java.io.Reader x) throws SQLException {
        set(index, x, (ps, i) -> ps.setNCharacterStream(i, x));
    }

    @Override
    public void setNCharacterStream(int index, java.io.Reader x, long length) throws SQLException {
        set(index, x, (ps, i) -> ps.setNCharacterStream(i, x, length));
    }

    @Override
    public void setObject(int index, Object x) throws SQLException {
        set(index, x, (ps, i) -> ps.setObject(i, x));
    }

    @Override
    public void setObject(int index, Object x, int targetSqlType) throws SQLException {
        set(index, x, (ps, i) -> ps.setObject(i, x, targetSqlType));
    }

    @Override
    public void setObject(int index, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
        set(index, x, (ps, i) -> ps.setObject(i, x, targetSqlType, scaleOrLength));
    }

    @Override
    public void setObject(int index, Object x, java.sql.SQLType targetSqlType) throws SQLException {
        set(index, x, (ps, i) -> ps.setObject(i, x, targetSqlType));
    }

    @Override
    public void setObject(int index, Object x, java.sql.SQLType targetSqlType, int scaleOrLength) throws SQLException {
        set(index, x, (ps, i) -> ps.setObject(i, x, targetSqlType, scaleOrLength));
    }

    @Override
    public void setRef(int index, java.sql.Ref x) throws SQLException {
        set(index, x, (ps, i) -> ps.setRef(i, x));
    }

    @Override
    public void setBlob(int index, java.sql.Blob x) throws SQLException {
        set(index, x, (ps, i) -> ps.setBlob(i, x));
    }

    @Override
    public void setBlob(int index, java.io.InputStream x) throws SQLException {
        set(index, x, (ps, i) -> ps.setBlob(i, x));
    }

    @Override
    public void setBlob(int index, java.io.InputStream x, long length) throws SQLException {
        set(index, x, (ps, i) -> ps.setBlob(i, x, length));
    }

    @Override
    public void setClob(int index, java.sql.Clob x) throws SQLException {
        set(index, x, (ps, i) -> ps.setClob(i, x));
    }

    @Override
    public void setClob(int index, java.io.Reader x) throws SQLException {
        set(index, x, (ps, i) -> ps.setClob(i, x));
    }

    @Override
    public void setClob(int index, java.io.Reader x, long length) throws SQLException {
        set(index, x, (ps, i) -> ps.setClob(i, x, length));
    }

    @Override
    public void setNClob(int index, java.sql.NClob x) throws SQLException {
        set(index, x, (ps, i) -> ps.setNClob(i, x));
    }

    @Override
    public void setNClob(int index, java.io.Reader x) throws SQLException {
        set(index, x, (ps, i) -> ps.setNClob(i, x));
    }

    @Override
    public void setNClob(int index, java.io.Reader x, long length) throws SQLException {
        set(index, x, (ps, i) -> ps.setNClob(i, x, length));
    }

    @Override
    public void setArray(int index, java.sql.Array x) throws SQLException {
        set(index, x, (ps, i) -> ps.setArray(i, x));
    }

    @Override
    public void setURL(int index, java.net.URL x) throws SQLException {
        set(index, x, (ps, i) -> ps.setURL(i, x));
    }

    @Override
    public void setRowId(int index, java.sql.RowId x) throws SQLException {
        set(index, x, (ps, i) -> ps.setRowId(i, x));
    }

    @Override
    public void setSQLXML(int index, java.sql.SQLXML x) throws SQLException {
        set(index, x, (ps, i) -> ps.setSQLXML(i, x));
    }
}
