package io.shardgate.analysis;

import java.util.List;

/**
 * The cached, value-free analysis of one normalised statement. Immutable and shared between executions and
 * threads; values are referred to through {@link ValueRef.Slot} indexes into {@link LexedStatement#slots()}.
 *
 * @param tables          every table read or written, the target of a write first
 * @param where           WHERE plus JOIN ... ON conditions of the outer statement; {@link Predicate#TRUE} if none
 * @param insert          rows of an INSERT, else null
 * @param select          shape of a SELECT, else null
 * @param updatedColumns  lower-cased SET columns of an UPDATE, else empty
 * @param parsedByCalcite false when the token fallback produced this
 * @param fallbackReason  first line of Calcite's error when the fallback was used, else null
 * @param joinedTables    the base tables joined in the outer SELECT's FROM clause, each occurrence with its alias
 *                        (a self-join twice); empty when not known. The router checks that sharded ones are joined
 *                        on their shard keys: otherwise each shard would join only its own rows
 */
public record StatementInfo(StatementKind kind, List<TableRef> tables, Predicate where, InsertInfo insert,
                            SelectShape select, List<String> updatedColumns, boolean parsedByCalcite,
                            String fallbackReason, List<TableRef> joinedTables) {

    public StatementInfo(StatementKind kind, List<TableRef> tables, Predicate where, InsertInfo insert,
                         SelectShape select, List<String> updatedColumns, boolean parsedByCalcite,
                         String fallbackReason) {
        this(kind, tables, where, insert, select, updatedColumns, parsedByCalcite, fallbackReason, List.of());
    }

    public StatementInfo {
        tables = List.copyOf(tables);
        joinedTables = List.copyOf(joinedTables);
        updatedColumns = List.copyOf(updatedColumns);
        if (where == null) {
            where = Predicate.TRUE;
        }
    }

    /** An analysis of a statement that never reaches Calcite: only its kind and the tables it names. */
    static StatementInfo nonDml(StatementKind kind, List<String> objectTables) {
        return new StatementInfo(kind, objectTables.stream().map(t -> new TableRef(t, null)).toList(),
                Predicate.TRUE, null, null, List.of(), false, null);
    }

    /** The distinct table names, in order of appearance. */
    public List<String> tableNames() {
        return tables.stream().map(TableRef::name).distinct().toList();
    }
}
