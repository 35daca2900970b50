package io.shardgate.jdbc;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The physical resources of one logical execution: the statements it opened (cancelled by
 * {@code Statement.cancel}, closed at the end) and the connections it borrowed outside a transaction (returned at
 * the end). A transaction's connections belong to the logical connection and are left alone.
 */
final class Execution {
    private final List<Statement> statements = new ArrayList<>(1);
    private final List<Lease> leases = new ArrayList<>(1);
    private boolean closed;

    synchronized void add(Lease lease) {
        if (!lease.transactional) {
            leases.add(lease);
        }
    }

    synchronized void add(Statement statement) {
        statements.add(statement);
    }

    /** Cancels every physical statement still running; from another thread. */
    void cancel() throws SQLException {
        List<Statement> running;
        synchronized (this) {
            if (closed) {
                return;
            }
            running = new ArrayList<>(statements);
        }
        SQLException first = null;
        for (Statement s : running) {
            try {
                s.cancel();
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Closes the statements and returns the borrowed connections; safe to call twice, never throws. */
    void close() {
        List<Statement> s;
        List<Lease> l;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            s = statements;
            l = leases;
        }
        for (Statement st : s) {
            try {
                st.close();
            } catch (SQLException | RuntimeException ignored) {
                // a statement that fails to close goes with its connection
            }
        }
        for (Lease lease : l) {
            lease.release();
        }
    }
}
