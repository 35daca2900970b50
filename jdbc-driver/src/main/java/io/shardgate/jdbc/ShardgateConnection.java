package io.shardgate.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.shardgate.config.Dialect;
import io.shardgate.config.ShardgateConfig;
import io.shardgate.route.Role;
import io.shardgate.route.RoutePlan;
import io.shardgate.route.Router;
import io.shardgate.route.SessionState;
import io.shardgate.route.ShardStatement;
import io.shardgate.rule.RoutingException;
import io.shardgate.topology.Topology;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A logical connection over every shard of one configuration. It holds no physical connection of its own in
 * autocommit mode: each statement borrows one from the pool of the database its plan names and returns it when
 * the statement (and its ResultSet) is done. In a transaction it keeps one physical connection per database touched
 * until commit or rollback, which go to every one of them in a fixed order (configuration order).
 *
 * <p>Session state follows HikariCP's dirty bits: only what the caller changed (read-only, isolation, catalog,
 * schema, {@code SET} statements, savepoints) is applied to each physical connection when it is borrowed or joins the
 * transaction, and undone when it goes back (the pool restores the JDBC properties; a connection that ran a
 * {@code SET} is evicted rather than reset).
 */
public final class ShardgateConnection implements Connection {
    private static final Pattern SAVEPOINT_NAME = Pattern.compile("(\"(?:[^\"]|\"\")+\"|`[^`]+`|[\\p{L}_][\\p{L}\\p{N}_$]*)");
    private static final Pattern SAVEPOINT = Pattern.compile("(?is)^\\s*(?:/\\*.*?\\*/\\s*|--[^\\n]*\\n\\s*)*SAVEPOINT\\s+"
            + SAVEPOINT_NAME.pattern());
    private static final Pattern RELEASE = Pattern.compile("(?is)^\\s*(?:/\\*.*?\\*/\\s*|--[^\\n]*\\n\\s*)*RELEASE\\s+"
            + "(?:SAVEPOINT\\s+)?" + SAVEPOINT_NAME.pattern());
    private static final Pattern ROLLBACK_TO = Pattern.compile("(?is)^\\s*(?:/\\*.*?\\*/\\s*|--[^\\n]*\\n\\s*)*ROLLBACK\\s+"
            + "(?:WORK\\s+|TRANSACTION\\s+)?TO\\s+(?:SAVEPOINT\\s+)?" + SAVEPOINT_NAME.pattern());
    private static final Pattern TRANSACTION_SCOPED_SET = Pattern.compile("(?is)^\\s*SET\\s+(LOCAL\\s|TRANSACTION\\s)");
    private static final Pattern SET_NAME = Pattern.compile("(?is)^\\s*SET\\s+(?:SESSION\\s+)?([\\w.]+)");
    private static final Pattern RESET_ALL = Pattern.compile("(?is)^\\s*(RESET\\s+ALL|DISCARD\\s+ALL)\\b.*");
    private static final Pattern RESET_NAME = Pattern.compile("(?is)^\\s*RESET\\s+([\\w.]+)");
    private static final Pattern BEGIN_READ_ONLY = Pattern.compile("(?is).*\\bREAD\\s+ONLY\\b.*");

    private final ShardgateRuntime runtime;
    private final Router router;
    private final Topology topology;
    private final ShardgateConfig config;
    private final String url;
    private final boolean postgres;

    private volatile boolean closed;
    private boolean autoCommit = true;
    /** BEGIN / START TRANSACTION executed as SQL while in autocommit mode. */
    private boolean explicitTransaction;
    private boolean explicitReadOnly;
    private boolean readOnly;
    private int isolation = -1;
    private String catalog;
    private String schema;
    private int holdability = ResultSet.CLOSE_CURSORS_AT_COMMIT;
    private int networkTimeout;
    private Map<String, Class<?>> typeMap = new HashMap<>();
    private final Properties clientInfo = new Properties();
    /** SET statements of the session, in order, replayed on every physical connection borrowed. */
    private final List<String> sessionSets = new ArrayList<>();
    /** SET LOCAL / SET TRANSACTION: replayed on connections joining the current transaction only. */
    private final List<String> transactionSets = new ArrayList<>();
    /** Physical connections of the current transaction by database, in the order they joined. */
    private final Map<String, Lease> transaction = new LinkedHashMap<>();
    /** Savepoint names (as SQL tokens) of the current transaction, oldest first. */
    private final List<String> savepoints = new ArrayList<>();
    private final Set<String> transactionWrites = new HashSet<>();
    private int savepointCounter;
    private final Set<ShardgateStatement> statements = Collections.newSetFromMap(new IdentityHashMap<>());

    ShardgateConnection(ShardgateRuntime runtime, String url) {
        this.runtime = runtime;
        this.router = runtime.router();
        this.topology = runtime.topology();
        this.config = runtime.config();
        this.url = url;
        this.postgres = config.dialect() != Dialect.MYSQL;
    }

    public ShardgateRuntime runtime() {
        return runtime;
    }

    boolean postgres() {
        return postgres;
    }

    String url() {
        return url;
    }

    boolean inTransaction() {
        return !autoCommit || explicitTransaction;
    }

    private void checkOpen() throws SQLException {
        if (closed) {
            throw Errors.closed("the shardgate connection");
        }
    }

    // ------------------------------------------------------------------ routing and borrowing (the hot path)

    RoutePlan route(String sql, List<Object> params) throws SQLException {
        checkOpen();
        try {
            return router.route(sql, params, SessionState.of(inTransaction(), readOnly || explicitReadOnly));
        } catch (RoutingException e) {
            throw Errors.routing(e);
        }
    }

    List<String> split(String sql) throws SQLException {
        try {
            return router.split(sql);
        } catch (RoutingException e) {
            throw Errors.routing(e);
        }
    }

    /**
     * The physical connection for one shard statement: the transaction's connection to that database, or a freshly
     * borrowed one registered with {@code execution} (returned when it ends).
     */
    Lease acquire(ShardStatement st, Execution execution) throws SQLException {
        if (!inTransaction()) {
            Lease lease = borrow(st.shard(), st.database(), st.role(), false);
            execution.add(lease);
            return lease;
        }
        Lease lease = transaction.get(st.database());
        if (lease == null) {
            lease = borrow(st.shard(), st.database(), st.role(), true);
            transaction.putIfAbsent(lease.database, lease);
        }
        return lease;
    }

    /**
     * A replica failed under a statement: take it out of rotation now (the prober brings it back) and return the
     * same statement aimed at the shard's primary.
     */
    ShardStatement replicaFailed(ShardStatement st, SQLException cause) {
        topology.state(st.database()).markDown(cause.getMessage());
        return new ShardStatement(st.shard(), Role.PRIMARY, config.shard(st.shard()).primary(), st.sql(),
                st.parameters());
    }

    /** After a successful write: start the read-your-writes window (again at commit, for a transaction). */
    void wrote(RoutePlan plan) {
        if (!plan.writtenTables().isEmpty()) {
            router.recordWrites(plan);
            if (inTransaction()) {
                transactionWrites.addAll(plan.writtenTables());
            }
        }
    }

    private Lease borrow(String shard, String database, Role role, boolean transactional) throws SQLException {
        HikariDataSource pool = runtime.dataSource(database);
        Connection c;
        try {
            c = pool.getConnection();
        } catch (SQLException e) {
            if (role != Role.REPLICA || !Errors.isConnectionFailure(e)) {
                throw Errors.fromShard(shard, database, e);
            }
            // the prober has not noticed yet: take the replica out now and read from the primary once
            topology.state(database).markDown("connect failed: " + e.getMessage());
            String primary = config.shard(shard).primary();
            if (transactional && transaction.containsKey(primary)) {
                return transaction.get(primary);
            }
            database = primary;
            pool = runtime.dataSource(primary);
            try {
                c = pool.getConnection();
            } catch (SQLException e2) {
                e2.addSuppressed(e);
                throw Errors.fromShard(shard, primary, e2);
            }
        }
        Lease lease = new Lease(shard, database, c, pool, topology.state(database), transactional);
        try {
            prepare(lease);
        } catch (SQLException e) {
            lease.evict = true;
            lease.release();
            throw lease.error(e);
        }
        return lease;
    }

    /** Applies what the caller changed, and nothing else, to a physical connection just borrowed. */
    private void prepare(Lease lease) throws SQLException {
        Connection c = lease.connection;
        if (readOnly) {
            c.setReadOnly(true);
        }
        if (isolation != -1) {
            c.setTransactionIsolation(isolation);
        }
        if (catalog != null) {
            c.setCatalog(catalog);
        }
        if (schema != null) {
            c.setSchema(schema);
        }
        if (!sessionSets.isEmpty()) {
            lease.evict = true; // no portable way to undo a SET: the pool makes a fresh connection instead
            run(c, sessionSets);
        }
        if (lease.transactional) {
            c.setAutoCommit(false);
            if (!transactionSets.isEmpty()) {
                lease.evict = true;
                run(c, transactionSets);
            }
            if (!savepoints.isEmpty()) {
                List<String> sql = new ArrayList<>(savepoints.size());
                for (String sp : savepoints) {
                    sql.add("SAVEPOINT " + sp);
                }
                run(c, sql);
            }
        }
    }

    private static void run(Connection c, List<String> sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String text : sql) {
                s.execute(text);
            }
        }
    }

    /** Runs {@code sql} on every connection of the current transaction, in commit order. */
    private void onEveryTransactionConnection(String sql) throws SQLException {
        for (Lease lease : ordered()) {
            try (Statement s = lease.connection.createStatement()) {
                s.execute(sql);
            } catch (SQLException e) {
                throw lease.error(e);
            }
        }
    }

    private List<Lease> ordered() {
        List<Lease> leases = new ArrayList<>(transaction.values());
        leases.sort(Comparator.comparingInt(l -> runtime.commitOrder(l.database)));
        return leases;
    }

    /** A connection to the default shard's primary, outside any transaction, for metadata and LOB factories. */
    Lease borrowDefault() throws SQLException {
        checkOpen();
        String shard = config.defaultShard();
        return borrow(shard, config.shard(shard).primary(), Role.PRIMARY, false);
    }

    // ------------------------------------------------------------------ statements shardgate handles itself

    /**
     * Transaction control and session statements given as SQL text: the plan's kind says which, the text gives
     * the savepoint or setting name.
     */
    void control(RoutePlan plan, String sql) throws SQLException {
        switch (plan.kind()) {
            case BEGIN -> {
                if (autoCommit) {
                    explicitTransaction = true;
                    explicitReadOnly = BEGIN_READ_ONLY.matcher(sql).matches();
                }
            }
            case COMMIT -> {
                if (inTransaction()) {
                    endTransaction(true);
                }
            }
            case ROLLBACK -> {
                if (inTransaction()) {
                    endTransaction(false);
                }
            }
            case SAVEPOINT -> savepoint(name(SAVEPOINT, sql));
            case RELEASE_SAVEPOINT -> releaseSavepoint(name(RELEASE, sql));
            case ROLLBACK_TO_SAVEPOINT -> rollbackToSavepoint(name(ROLLBACK_TO, sql));
            case SET, USE -> set(sql);
            case RESET, DISCARD -> reset(sql);
            default -> throw new SQLException("[BUG] shardgate: " + plan.kind() + " is not a control statement", "XX000");
        }
    }

    private static String name(Pattern p, String sql) throws SQLException {
        Matcher m = p.matcher(sql);
        if (!m.find()) {
            throw new SQLException("cannot find the savepoint name in: " + sql, "42601");
        }
        return m.group(1);
    }

    private void set(String sql) throws SQLException {
        boolean transactionScoped = TRANSACTION_SCOPED_SET.matcher(sql).find();
        if (transactionScoped && !inTransaction()) {
            return; // outside a transaction block PostgreSQL ignores these with a warning; so do we
        }
        if (!transaction.isEmpty()) {
            for (Lease lease : transaction.values()) {
                lease.evict = true;
            }
            onEveryTransactionConnection(sql);
        } else if (!transactionScoped) {
            // check it once now, so that a typo fails here and not on every later statement
            Lease lease = borrowDefault();
            lease.evict = true;
            try {
                run(lease.connection, List.of(sql));
            } catch (SQLException e) {
                throw lease.error(e);
            } finally {
                lease.release();
            }
        }
        (transactionScoped ? transactionSets : sessionSets).add(sql);
    }

    private void reset(String sql) throws SQLException {
        if (RESET_ALL.matcher(sql).matches()) {
            sessionSets.clear();
        } else {
            Matcher m = RESET_NAME.matcher(sql);
            if (m.find()) {
                String name = m.group(1);
                sessionSets.removeIf(s -> {
                    Matcher n = SET_NAME.matcher(s);
                    return n.find() && n.group(1).equalsIgnoreCase(name);
                });
            }
        }
        if (!transaction.isEmpty()) {
            onEveryTransactionConnection(sql);
        }
    }

    // ------------------------------------------------------------------ transactions

    /** Starts the implicit transaction of one multi-shard write in autocommit mode. */
    void beginImplicit() {
        explicitTransaction = true;
    }

    /** Ends it: commit (failures carry the per-shard diagnosis) or roll back (failures suppressed). */
    void endImplicit(boolean commit) throws SQLException {
        if (commit) {
            endTransaction(true);
            return;
        }
        try {
            endTransaction(false);
        } catch (SQLException ignored) {
            // the statement's own error is what the caller needs; the connections are evicted by the pools
        }
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        checkOpen();
        if (autoCommit == this.autoCommit) {
            return;
        }
        if (autoCommit && inTransaction()) {
            endTransaction(true); // JDBC: switching autocommit on commits the transaction in progress
        }
        this.autoCommit = autoCommit;
        explicitTransaction = false;
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        checkOpen();
        return autoCommit;
    }

    @Override
    public void commit() throws SQLException {
        checkOpen();
        if (!inTransaction()) {
            throw new SQLException("cannot commit in autocommit mode", "25000");
        }
        endTransaction(true);
    }

    @Override
    public void rollback() throws SQLException {
        checkOpen();
        if (!inTransaction()) {
            throw new SQLException("cannot roll back in autocommit mode", "25000");
        }
        endTransaction(false);
    }

    /**
     * Commits (or rolls back) every physical connection of the transaction in configuration order. A commit that
     * fails stops the others, which are rolled back; the error says which shards committed and which did not, since
     * without an atomic commit the transaction is then only partly applied.
     */
    private void endTransaction(boolean commit) throws SQLException {
        List<Lease> leases = ordered();
        try {
            if (commit) {
                commitAll(leases);
                for (String table : transactionWrites) {
                    router.writeTracker().recordWrite(table);
                }
            } else {
                rollbackAll(leases);
            }
        } finally {
            for (Lease lease : leases) {
                lease.release();
            }
            transaction.clear();
            savepoints.clear();
            transactionSets.clear();
            transactionWrites.clear();
            explicitTransaction = false;
            explicitReadOnly = false;
        }
    }

    private static void commitAll(List<Lease> leases) throws SQLException {
        List<String> committed = new ArrayList<>();
        List<String> rolledBack = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        Lease failed = null;
        SQLException failure = null;
        for (Lease lease : leases) {
            if (failure == null) {
                try {
                    lease.connection.commit();
                    committed.add(lease.label());
                } catch (SQLException e) {
                    failed = lease;
                    failure = e;
                    lease.evict = true;
                }
            } else {
                try {
                    lease.connection.rollback();
                    rolledBack.add(lease.label());
                } catch (SQLException e) {
                    unknown.add(lease.label() + " (" + e.getMessage() + ")");
                    lease.evict = true;
                }
            }
        }
        if (failure == null) {
            return;
        }
        if (leases.size() == 1) {
            throw failed.error(failure);
        }
        StringBuilder sb = new StringBuilder("[shard ").append(failed.label()).append("] commit failed: ")
                .append(failure.getMessage()).append("; committed: ").append(committed.isEmpty() ? "none" : committed)
                .append("; not committed: ").append(failed.label());
        for (String r : rolledBack) {
            sb.append(", ").append(r);
        }
        if (!unknown.isEmpty()) {
            sb.append("; rollback failed, state unknown: ").append(unknown);
        }
        sb.append(committed.isEmpty() ? "" : " (the transaction is partly applied: shardgate commits shards one "
                + "after another and has no atomic cross-shard commit yet)");
        throw new SQLException(sb.toString(), failure.getSQLState(), failure.getErrorCode(), failure);
    }

    private static void rollbackAll(List<Lease> leases) throws SQLException {
        SQLException first = null;
        for (Lease lease : leases) {
            try {
                lease.connection.rollback();
            } catch (SQLException e) {
                lease.evict = true;
                if (first == null) {
                    first = lease.error(e);
                } else {
                    first.addSuppressed(lease.error(e));
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    // ------------------------------------------------------------------ savepoints

    private void requireTransaction(String what) throws SQLException {
        if (!inTransaction()) {
            throw new SQLException(what + " can only be used in a transaction (autocommit is on)", "25P01");
        }
    }

    private void savepoint(String token) throws SQLException {
        requireTransaction("SAVEPOINT");
        onEveryTransactionConnection("SAVEPOINT " + token);
        savepoints.add(token);
    }

    private int indexOf(String token) throws SQLException {
        boolean quoted = token.startsWith("\"") || token.startsWith("`");
        for (int i = savepoints.size() - 1; i >= 0; i--) {
            String sp = savepoints.get(i);
            if (quoted ? sp.equals(token) : sp.equalsIgnoreCase(token)) {
                return i;
            }
        }
        throw new SQLException("savepoint " + token + " does not exist in this transaction", "3B001");
    }

    private void rollbackToSavepoint(String token) throws SQLException {
        requireTransaction("ROLLBACK TO SAVEPOINT");
        int i = indexOf(token);
        onEveryTransactionConnection("ROLLBACK TO SAVEPOINT " + token);
        savepoints.subList(i + 1, savepoints.size()).clear();
    }

    private void releaseSavepoint(String token) throws SQLException {
        requireTransaction("RELEASE SAVEPOINT");
        int i = indexOf(token);
        onEveryTransactionConnection("RELEASE SAVEPOINT " + token);
        savepoints.subList(i, savepoints.size()).clear();
    }

    private String quote(String name) {
        if (name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            return name;
        }
        return postgres ? "\"" + name.replace("\"", "\"\"") + "\"" : "`" + name.replace("`", "``") + "`";
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        checkOpen();
        int id = ++savepointCounter;
        ShardgateSavepoint sp = new ShardgateSavepoint(id, null, "shardgate_sp_" + id);
        savepoint(sp.token());
        return sp;
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        checkOpen();
        if (name == null) {
            throw new SQLException("savepoint name must not be null", "22023");
        }
        ShardgateSavepoint sp = new ShardgateSavepoint(0, name, quote(name));
        savepoint(sp.token());
        return sp;
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        checkOpen();
        rollbackToSavepoint(token(savepoint));
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        checkOpen();
        releaseSavepoint(token(savepoint));
    }

    private static String token(Savepoint savepoint) throws SQLException {
        if (savepoint instanceof ShardgateSavepoint s) {
            return s.token();
        }
        throw new SQLException("not a savepoint of this shardgate connection: " + savepoint, "3B001");
    }

    // ------------------------------------------------------------------ statements

    private <S extends ShardgateStatement> S register(S statement) {
        statements.add(statement);
        return statement;
    }

    void forget(ShardgateStatement statement) {
        statements.remove(statement);
    }

    @Override
    public Statement createStatement() throws SQLException {
        return createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, 0);
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        return createStatement(resultSetType, resultSetConcurrency, 0);
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        checkOpen();
        return register(new ShardgateStatement(this, resultSetType, resultSetConcurrency, resultSetHoldability));
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        return prepare(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, 0, Statement.NO_GENERATED_KEYS,
                null, null);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        return prepare(sql, resultSetType, resultSetConcurrency, 0, Statement.NO_GENERATED_KEYS, null, null);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
                                              int resultSetHoldability) throws SQLException {
        return prepare(sql, resultSetType, resultSetConcurrency, resultSetHoldability, Statement.NO_GENERATED_KEYS,
                null, null);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        return prepare(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, 0, autoGeneratedKeys, null, null);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        return prepare(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, 0, Statement.RETURN_GENERATED_KEYS,
                columnIndexes, null);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        return prepare(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, 0, Statement.RETURN_GENERATED_KEYS,
                null, columnNames);
    }

    private PreparedStatement prepare(String sql, int type, int concurrency, int holdability, int keys,
                                      int[] keyIndexes, String[] keyNames) throws SQLException {
        checkOpen();
        if (sql == null) {
            throw new SQLException("SQL must not be null", "22023");
        }
        ShardgatePreparedStatement ps = new ShardgatePreparedStatement(this, sql, type, concurrency, holdability);
        ps.requestKeys(keys, keyIndexes, keyNames);
        return register(ps);
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        throw callable();
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        throw callable();
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
                                         int resultSetHoldability) throws SQLException {
        throw callable();
    }

    private static SQLException callable() {
        return new java.sql.SQLFeatureNotSupportedException("CallableStatement (prepareCall) is not supported by "
                + "shardgate: a stored procedure call cannot be routed by its arguments; call it through a "
                + "PreparedStatement (SELECT fn(?) / CALL proc(?)) with the shard key in a routing hint, or on a "
                + "physical connection", "0A000");
    }

    @Override
    public String nativeSQL(String sql) throws SQLException {
        checkOpen();
        return sql;
    }

    // ------------------------------------------------------------------ session properties (dirty bits)

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        checkOpen();
        for (Lease lease : transaction.values()) {
            try {
                lease.connection.setReadOnly(readOnly);
            } catch (SQLException e) {
                throw lease.error(e);
            }
        }
        this.readOnly = readOnly;
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        checkOpen();
        return readOnly;
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        checkOpen();
        for (Lease lease : transaction.values()) {
            try {
                lease.connection.setTransactionIsolation(level);
            } catch (SQLException e) {
                throw lease.error(e);
            }
        }
        isolation = level;
    }

    /** What the caller set, else the backends' default (READ COMMITTED on PostgreSQL, REPEATABLE READ on MySQL). */
    @Override
    public int getTransactionIsolation() throws SQLException {
        checkOpen();
        if (isolation != -1) {
            return isolation;
        }
        return postgres ? Connection.TRANSACTION_READ_COMMITTED : Connection.TRANSACTION_REPEATABLE_READ;
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        checkOpen();
        for (Lease lease : transaction.values()) {
            lease.connection.setCatalog(catalog);
        }
        this.catalog = catalog;
    }

    @Override
    public String getCatalog() throws SQLException {
        checkOpen();
        if (catalog != null) {
            return catalog;
        }
        Lease lease = borrowDefault();
        try {
            return lease.connection.getCatalog();
        } finally {
            lease.release();
        }
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        checkOpen();
        for (Lease lease : transaction.values()) {
            lease.connection.setSchema(schema);
        }
        this.schema = schema;
    }

    @Override
    public String getSchema() throws SQLException {
        checkOpen();
        if (schema != null) {
            return schema;
        }
        Lease lease = borrowDefault();
        try {
            return lease.connection.getSchema();
        } finally {
            lease.release();
        }
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        checkOpen();
        this.holdability = holdability;
    }

    @Override
    public int getHoldability() throws SQLException {
        checkOpen();
        return holdability;
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        checkOpen();
        return typeMap;
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        checkOpen();
        typeMap = map == null ? new HashMap<>() : map;
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        checkOpen();
        networkTimeout = milliseconds;
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        checkOpen();
        return networkTimeout;
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        if (value == null) {
            clientInfo.remove(name);
        } else {
            clientInfo.setProperty(name, value);
        }
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        clientInfo.clear();
        if (properties != null) {
            clientInfo.putAll(properties);
        }
    }

    @Override
    public String getClientInfo(String name) throws SQLException {
        checkOpen();
        return clientInfo.getProperty(name);
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        checkOpen();
        Properties copy = new Properties();
        copy.putAll(clientInfo);
        return copy;
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
    }

    // ------------------------------------------------------------------ metadata and factories

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        checkOpen();
        return new ShardgateDatabaseMetaData(this);
    }

    private interface Factory<T> {
        T create(Connection c) throws SQLException;
    }

    private <T> T onDefault(Factory<T> factory) throws SQLException {
        Lease lease = borrowDefault();
        try {
            return factory.create(lease.connection);
        } catch (SQLException e) {
            throw lease.error(e);
        } finally {
            lease.release();
        }
    }

    @Override
    public Clob createClob() throws SQLException {
        return onDefault(Connection::createClob);
    }

    @Override
    public Blob createBlob() throws SQLException {
        return onDefault(Connection::createBlob);
    }

    @Override
    public NClob createNClob() throws SQLException {
        return onDefault(Connection::createNClob);
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        return onDefault(Connection::createSQLXML);
    }

    @Override
    public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        return onDefault(c -> c.createArrayOf(typeName, elements));
    }

    @Override
    public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
        return onDefault(c -> c.createStruct(typeName, attributes));
    }

    /** Valid while open: it holds no physical connection that could have died between statements. */
    @Override
    public boolean isValid(int timeout) throws SQLException {
        if (timeout < 0) {
            throw new SQLException("timeout must be >= 0, got " + timeout, "22023");
        }
        return !closed && !runtime.isClosed();
    }

    // ------------------------------------------------------------------ closing

    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        try {
            for (ShardgateStatement s : new ArrayList<>(statements)) {
                s.close();
            }
            if (!transaction.isEmpty()) {
                endTransaction(false); // an unfinished transaction is rolled back, as the pools would do
            }
        } finally {
            for (Lease lease : transaction.values()) {
                lease.release();
            }
            transaction.clear();
            closed = true;
        }
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        for (ShardgateStatement s : new ArrayList<>(statements)) {
            try {
                s.cancel();
            } catch (SQLException ignored) {
                // aborting anyway
            }
        }
        for (Lease lease : transaction.values()) {
            lease.evict = true;
            lease.release();
        }
        transaction.clear();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return (T) this;
        }
        throw new SQLException("a shardgate connection is not a " + iface.getName()
                + "; it spans several physical connections", "0A000");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public String toString() {
        return "ShardgateConnection[" + url + (closed ? ", closed" : "") + (inTransaction() ? ", in transaction on "
                + transaction.keySet() : "") + "]";
    }

    /** A savepoint as JDBC sees it, and the SQL token shardgate sends for it. */
    record ShardgateSavepoint(int id, String name, String token) implements Savepoint {
        @Override
        public int getSavepointId() throws SQLException {
            if (name != null) {
                throw new SQLException("a named savepoint has no id", "3B000");
            }
            return id;
        }

        @Override
        public String getSavepointName() throws SQLException {
            if (name == null) {
                throw new SQLException("an unnamed savepoint has no name", "3B000");
            }
            return name;
        }
    }
}
