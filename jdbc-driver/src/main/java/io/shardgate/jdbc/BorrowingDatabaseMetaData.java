package io.shardgate.jdbc;

/**
 * DatabaseMetaData that borrows a physical connection for each call: scalar answers return it at once, a
 * ResultSet keeps it until the ResultSet is closed. Generated from the interface by reflection; methods that cannot
 * fail with SQLException, and those that must answer for shardgate itself, are left to the subclass.
 */
@SuppressWarnings("deprecation")
abstract class BorrowingDatabaseMetaData implements java.sql.DatabaseMetaData {
    /** A physical metadata object and the connection it came from, returned by close. */
    interface Borrowed extends AutoCloseable {
        java.sql.DatabaseMetaData metaData();

        @Override
        void close() throws java.sql.SQLException;
    }

    protected abstract Borrowed borrow() throws java.sql.SQLException;

    /** Wraps a ResultSet so that closing it closes {@code borrowed}. */
    protected abstract java.sql.ResultSet keep(Borrowed borrowed, java.sql.ResultSet rs) throws java.sql.SQLException;

    @Override
    public boolean allProceduresAreCallable() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().allProceduresAreCallable();
        }
    }

    @Override
    public boolean allTablesAreSelectable() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().allTablesAreSelectable();
        }
    }

    @Override
    public boolean autoCommitFailureClosesAllResultSets() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().autoCommitFailureClosesAllResultSets();
        }
    }

    @Override
    public boolean dataDefinitionCausesTransactionCommit() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().dataDefinitionCausesTransactionCommit();
        }
    }

    @Override
    public boolean dataDefinitionIgnoredInTransactions() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().dataDefinitionIgnoredInTransactions();
        }
    }

    @Override
    public boolean deletesAreDetected(int p0) throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().deletesAreDetected(p0);
        }
    }

    @Override
    public boolean doesMaxRowSizeIncludeBlobs() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().doesMaxRowSizeIncludeBlobs();
        }
    }

    @Override
    public boolean generatedKeyAlwaysReturned() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().generatedKeyAlwaysReturned();
        }
    }

    @Override
    public java.sql.ResultSet getAttributes(java.lang.String p0, java.lang.String p1, java.lang.String p2, java.lang.String p3) throws java.sql.SQLException {
        Borrowed b = borrow();
        try {
            return keep(b, b.metaData().getAttributes(p0, p1, p2, p3));
        } catch (java.sql.SQLException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public java.sql.ResultSet getBestRowIdentifier(java.lang.String p0, java.lang.String p1, java.lang.String p2, int p3, boolean p4) throws java.sql.SQLException {
        Borrowed b = borrow();
        try {
            return keep(b, b.metaData().getBestRowIdentifier(p0, p1, p2, p3, p4));
        } catch (java.sql.SQLException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public java.lang.String getCatalogSeparator() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getCatalogSeparator();
        }
    }

    @Override
    public java.lang.String getCatalogTerm() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getCatalogTerm();
        }
    }

    @Override
    public java.sql.ResultSet getCatalogs() throws java.sql.SQLException {
        Borrowed b = borrow();
        try {
            return keep(b, b.metaData().getCatalogs());
        } catch (java.sql.SQLException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public java.sql.ResultSet getClientInfoProperties() throws java.sql.SQLException {
        Borrowed b = borrow();
        try {
            return keep(b, b.metaData().getClientInfoProperties());
        } catch (java.sql.SQLException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public java.sql.ResultSet getColumnPrivileges(java.lang.String p0, java.lang.String p1, java.lang.String p2, java.lang.String p3) throws java.sql.SQLException {
        Borrowed b = borrow();
        try {
            return keep(b, b.metaData().getColumnPrivileges(p0, p1, p2, p3));
        } catch (java.sql.SQLException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public java.sql.ResultSet getColumns(java.lang.String p0, java.lang.String p1, java.lang.String p2, java.lang.String p3) throws java.sql.SQLException {
        Borrowed b = borrow();
        try {
            return keep(b, b.metaData().getColumns(p0, p1, p2, p3));
        } catch (java.sql.SQLException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public java.sql.ResultSet getCrossReference(java.lang.String p0, java.lang.String p1, java.lang.String p2, java.lang.String p3, java.lang.String p4, java.lang.String p5) throws java.sql.SQLException {
        Borrowed b = borrow();
        try {
            return keep(b, b.metaData().getCrossReference(p0, p1, p2, p3, p4, p5));
        } catch (java.sql.SQLException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public int getDatabaseMajorVersion() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getDatabaseMajorVersion();
        }
    }

    @Override
    public int getDatabaseMinorVersion() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getDatabaseMinorVersion();
        }
    }

    @Override
    public java.lang.String getDatabaseProductName() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getDatabaseProductName();
        }
    }

    @Override
    public java.lang.String getDatabaseProductVersion() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getDatabaseProductVersion();
        }
    }

    @Override
    public int getDefaultTransactionIsolation() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getDefaultTransactionIsolation();
        }
    }

    @Override
    public java.sql.ResultSet getExportedKeys(java.lang.String p0, java.lang.String p1, java.lang.String p2) throws java.sql.SQLException {
        Borrowed b = borrow();
        try {
            return keep(b, b.metaData().getExportedKeys(p0, p1, p2));
        } catch (java.sql.SQLException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public java.lang.String getExtraNameCharacters() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getExtraNameCharacters();
        }
    }

    @Override
    public java.sql.ResultSet getFunctionColumns(java.lang.String p0, java.lang.String p1, java.lang.String p2, java.lang.String p3) throws java.sql.SQLException {
        Borrowed b = borrow();
        try {
            return keep(b, b.metaData().getFunctionColumns(p0, p1, p2, p3));
        } catch (java.sql.SQLException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public java.sql.ResultSet getFunctions(java.lang.String p0, java.lang.String p1, java.lang.String p2) throws java.sql.SQLException {
        Borrowed b = borrow();
        try {
            return keep(b, b.metaData().getFunctions(p0, p1, p2));
        } catch (java.sql.SQLException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public java.lang.String getIdentifierQuoteString() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getIdentifierQuoteString();
        }
    }

    @Override
    public java.sql.ResultSet getImportedKeys(java.lang.String p0, java.lang.String p1, java.lang.String p2) throws java.sql.SQLException {
        Borrowed b = borrow();
        try {
            return keep(b, b.metaData().getImportedKeys(p0, p1, p2));
        } catch (java.sql.SQLException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public java.sql.ResultSet getIndexInfo(java.lang.String p0, java.lang.String p1, java.lang.String p2, boolean p3, boolean p4) throws java.sql.SQLException {
        Borrowed b = borrow();
        try {
            return keep(b, b.metaData().getIndexInfo(p0, p1, p2, p3, p4));
        } catch (java.sql.SQLException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public int getJDBCMajorVersion() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getJDBCMajorVersion();
        }
    }

    @Override
    public int getJDBCMinorVersion() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getJDBCMinorVersion();
        }
    }

    @Override
    public int getMaxBinaryLiteralLength() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getMaxBinaryLiteralLength();
        }
    }

    @Override
    public int getMaxCatalogNameLength() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getMaxCatalogNameLength();
        }
    }

    @Override
    public int getMaxCharLiteralLength() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getMaxCharLiteralLength();
        }
    }

    @Override
    public int getMaxColumnNameLength() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getMaxColumnNameLength();
        }
    }

    @Override
    public int getMaxColumnsInGroupBy() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getMaxColumnsInGroupBy();
        }
    }

    @Override
    public int getMaxColumnsInIndex() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getMaxColumnsInIndex();
        }
    }

    @Override
    public int getMaxColumnsInOrderBy() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getMaxColumnsInOrderBy();
        }
    }

    @Override
    public int getMaxColumnsInSelect() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getMaxColumnsInSelect();
        }
    }

    @Override
    public int getMaxColumnsInTable() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getMaxColumnsInTable();
        }
    }

    @Override
    public int getMaxConnections() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getMaxConnections();
        }
    }

    @Override
    public int getMaxCursorNameLength() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getMaxCursorNameLength();
        }
    }

    @Override
    public int getMaxIndexLength() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getMaxIndexLength();
        }
    }

    @Override
    public long getMaxLogicalLobSize() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getMaxLogicalLobSize();
        }
    }

    @Override
    public int getMaxProcedureNameLength() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getMaxProcedureNameLength();
        }
    }

    @Override
    public int getMaxRowSize() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getMaxRowSize();
        }
    }

    @Override
    public int getMaxSchemaNameLength() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getMaxSchemaNameLength();
        }
    }

    @Override
    public int getMaxStatementLength() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getMaxStatementLength();
        }
    }

    @Override
    public int getMaxStatements() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getMaxStatements();
        }
    }

    @Override
    public int getMaxTableNameLength() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getMaxTableNameLength();
        }
    }

    @Override
    public int getMaxTablesInSelect() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getMaxTablesInSelect();
        }
    }

    @Override
    public int getMaxUserNameLength() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getMaxUserNameLength();
        }
    }

    @Override
    public java.lang.String getNumericFunctions() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getNumericFunctions();
        }
    }

    @Override
    public java.sql.ResultSet getPrimaryKeys(java.lang.String p0, java.lang.String p1, java.lang.String p2) throws java.sql.SQLException {
        Borrowed b = borrow();
        try {
            return keep(b, b.metaData().getPrimaryKeys(p0, p1, p2));
        } catch (java.sql.SQLException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public java.sql.ResultSet getProcedureColumns(java.lang.String p0, java.lang.String p1, java.lang.String p2, java.lang.String p3) throws java.sql.SQLException {
        Borrowed b = borrow();
        try {
            return keep(b, b.metaData().getProcedureColumns(p0, p1, p2, p3));
        } catch (java.sql.SQLException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public java.lang.String getProcedureTerm() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getProcedureTerm();
        }
    }

    @Override
    public java.sql.ResultSet getProcedures(java.lang.String p0, java.lang.String p1, java.lang.String p2) throws java.sql.SQLException {
        Borrowed b = borrow();
        try {
            return keep(b, b.metaData().getProcedures(p0, p1, p2));
        } catch (java.sql.SQLException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public java.sql.ResultSet getPseudoColumns(java.lang.String p0, java.lang.String p1, java.lang.String p2, java.lang.String p3) throws java.sql.SQLException {
        Borrowed b = borrow();
        try {
            return keep(b, b.metaData().getPseudoColumns(p0, p1, p2, p3));
        } catch (java.sql.SQLException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public int getResultSetHoldability() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getResultSetHoldability();
        }
    }

    @Override
    public java.sql.RowIdLifetime getRowIdLifetime() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getRowIdLifetime();
        }
    }

    @Override
    public java.lang.String getSQLKeywords() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getSQLKeywords();
        }
    }

    @Override
    public int getSQLStateType() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getSQLStateType();
        }
    }

    @Override
    public java.lang.String getSchemaTerm() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getSchemaTerm();
        }
    }

    @Override
    public java.sql.ResultSet getSchemas() throws java.sql.SQLException {
        Borrowed b = borrow();
        try {
            return keep(b, b.metaData().getSchemas());
        } catch (java.sql.SQLException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public java.sql.ResultSet getSchemas(java.lang.String p0, java.lang.String p1) throws java.sql.SQLException {
        Borrowed b = borrow();
        try {
            return keep(b, b.metaData().getSchemas(p0, p1));
        } catch (java.sql.SQLException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public java.lang.String getSearchStringEscape() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getSearchStringEscape();
        }
    }

    @Override
    public java.lang.String getStringFunctions() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getStringFunctions();
        }
    }

    @Override
    public java.sql.ResultSet getSuperTables(java.lang.String p0, java.lang.String p1, java.lang.String p2) throws java.sql.SQLException {
        Borrowed b = borrow();
        try {
            return keep(b, b.metaData().getSuperTables(p0, p1, p2));
        } catch (java.sql.SQLException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public java.sql.ResultSet getSuperTypes(java.lang.String p0, java.lang.String p1, java.lang.String p2) throws java.sql.SQLException {
        Borrowed b = borrow();
        try {
            return keep(b, b.metaData().getSuperTypes(p0, p1, p2));
        } catch (java.sql.SQLException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public java.lang.String getSystemFunctions() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getSystemFunctions();
        }
    }

    @Override
    public java.sql.ResultSet getTablePrivileges(java.lang.String p0, java.lang.String p1, java.lang.String p2) throws java.sql.SQLException {
        Borrowed b = borrow();
        try {
            return keep(b, b.metaData().getTablePrivileges(p0, p1, p2));
        } catch (java.sql.SQLException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public java.sql.ResultSet getTableTypes() throws java.sql.SQLException {
        Borrowed b = borrow();
        try {
            return keep(b, b.metaData().getTableTypes());
        } catch (java.sql.SQLException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public java.sql.ResultSet getTables(java.lang.String p0, java.lang.String p1, java.lang.String p2, java.lang.String[] p3) throws java.sql.SQLException {
        Borrowed b = borrow();
        try {
            return keep(b, b.metaData().getTables(p0, p1, p2, p3));
        } catch (java.sql.SQLException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public java.lang.String getTimeDateFunctions() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getTimeDateFunctions();
        }
    }

    @Override
    public java.sql.ResultSet getTypeInfo() throws java.sql.SQLException {
        Borrowed b = borrow();
        try {
            return keep(b, b.metaData().getTypeInfo());
        } catch (java.sql.SQLException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public java.sql.ResultSet getUDTs(java.lang.String p0, java.lang.String p1, java.lang.String p2, int[] p3) throws java.sql.SQLException {
        Borrowed b = borrow();
        try {
            return keep(b, b.metaData().getUDTs(p0, p1, p2, p3));
        } catch (java.sql.SQLException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public java.lang.String getUserName() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().getUserName();
        }
    }

    @Override
    public java.sql.ResultSet getVersionColumns(java.lang.String p0, java.lang.String p1, java.lang.String p2) throws java.sql.SQLException {
        Borrowed b = borrow();
        try {
            return keep(b, b.metaData().getVersionColumns(p0, p1, p2));
        } catch (java.sql.SQLException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public boolean insertsAreDetected(int p0) throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().insertsAreDetected(p0);
        }
    }

    @Override
    public boolean isCatalogAtStart() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().isCatalogAtStart();
        }
    }

    @Override
    public boolean isReadOnly() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().isReadOnly();
        }
    }

    @Override
    public boolean locatorsUpdateCopy() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().locatorsUpdateCopy();
        }
    }

    @Override
    public boolean nullPlusNonNullIsNull() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().nullPlusNonNullIsNull();
        }
    }

    @Override
    public boolean nullsAreSortedAtEnd() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().nullsAreSortedAtEnd();
        }
    }

    @Override
    public boolean nullsAreSortedAtStart() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().nullsAreSortedAtStart();
        }
    }

    @Override
    public boolean nullsAreSortedHigh() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().nullsAreSortedHigh();
        }
    }

    @Override
    public boolean nullsAreSortedLow() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().nullsAreSortedLow();
        }
    }

    @Override
    public boolean othersDeletesAreVisible(int p0) throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().othersDeletesAreVisible(p0);
        }
    }

    @Override
    public boolean othersInsertsAreVisible(int p0) throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().othersInsertsAreVisible(p0);
        }
    }

    @Override
    public boolean othersUpdatesAreVisible(int p0) throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().othersUpdatesAreVisible(p0);
        }
    }

    @Override
    public boolean ownDeletesAreVisible(int p0) throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().ownDeletesAreVisible(p0);
        }
    }

    @Override
    public boolean ownInsertsAreVisible(int p0) throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().ownInsertsAreVisible(p0);
        }
    }

    @Override
    public boolean ownUpdatesAreVisible(int p0) throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().ownUpdatesAreVisible(p0);
        }
    }

    @Override
    public boolean storesLowerCaseIdentifiers() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().storesLowerCaseIdentifiers();
        }
    }

    @Override
    public boolean storesLowerCaseQuotedIdentifiers() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().storesLowerCaseQuotedIdentifiers();
        }
    }

    @Override
    public boolean storesMixedCaseIdentifiers() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().storesMixedCaseIdentifiers();
        }
    }

    @Override
    public boolean storesMixedCaseQuotedIdentifiers() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().storesMixedCaseQuotedIdentifiers();
        }
    }

    @Override
    public boolean storesUpperCaseIdentifiers() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().storesUpperCaseIdentifiers();
        }
    }

    @Override
    public boolean storesUpperCaseQuotedIdentifiers() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().storesUpperCaseQuotedIdentifiers();
        }
    }

    @Override
    public boolean supportsANSI92EntryLevelSQL() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsANSI92EntryLevelSQL();
        }
    }

    @Override
    public boolean supportsANSI92FullSQL() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsANSI92FullSQL();
        }
    }

    @Override
    public boolean supportsANSI92IntermediateSQL() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsANSI92IntermediateSQL();
        }
    }

    @Override
    public boolean supportsAlterTableWithAddColumn() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsAlterTableWithAddColumn();
        }
    }

    @Override
    public boolean supportsAlterTableWithDropColumn() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsAlterTableWithDropColumn();
        }
    }

    @Override
    public boolean supportsBatchUpdates() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsBatchUpdates();
        }
    }

    @Override
    public boolean supportsCatalogsInDataManipulation() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsCatalogsInDataManipulation();
        }
    }

    @Override
    public boolean supportsCatalogsInIndexDefinitions() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsCatalogsInIndexDefinitions();
        }
    }

    @Override
    public boolean supportsCatalogsInPrivilegeDefinitions() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsCatalogsInPrivilegeDefinitions();
        }
    }

    @Override
    public boolean supportsCatalogsInProcedureCalls() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsCatalogsInProcedureCalls();
        }
    }

    @Override
    public boolean supportsCatalogsInTableDefinitions() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsCatalogsInTableDefinitions();
        }
    }

    @Override
    public boolean supportsColumnAliasing() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsColumnAliasing();
        }
    }

    @Override
    public boolean supportsConvert() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsConvert();
        }
    }

    @Override
    public boolean supportsConvert(int p0, int p1) throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsConvert(p0, p1);
        }
    }

    @Override
    public boolean supportsCoreSQLGrammar() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsCoreSQLGrammar();
        }
    }

    @Override
    public boolean supportsCorrelatedSubqueries() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsCorrelatedSubqueries();
        }
    }

    @Override
    public boolean supportsDataDefinitionAndDataManipulationTransactions() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsDataDefinitionAndDataManipulationTransactions();
        }
    }

    @Override
    public boolean supportsDataManipulationTransactionsOnly() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsDataManipulationTransactionsOnly();
        }
    }

    @Override
    public boolean supportsDifferentTableCorrelationNames() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsDifferentTableCorrelationNames();
        }
    }

    @Override
    public boolean supportsExpressionsInOrderBy() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsExpressionsInOrderBy();
        }
    }

    @Override
    public boolean supportsExtendedSQLGrammar() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsExtendedSQLGrammar();
        }
    }

    @Override
    public boolean supportsFullOuterJoins() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsFullOuterJoins();
        }
    }

    @Override
    public boolean supportsGetGeneratedKeys() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsGetGeneratedKeys();
        }
    }

    @Override
    public boolean supportsGroupBy() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsGroupBy();
        }
    }

    @Override
    public boolean supportsGroupByBeyondSelect() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsGroupByBeyondSelect();
        }
    }

    @Override
    public boolean supportsGroupByUnrelated() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsGroupByUnrelated();
        }
    }

    @Override
    public boolean supportsIntegrityEnhancementFacility() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsIntegrityEnhancementFacility();
        }
    }

    @Override
    public boolean supportsLikeEscapeClause() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsLikeEscapeClause();
        }
    }

    @Override
    public boolean supportsLimitedOuterJoins() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsLimitedOuterJoins();
        }
    }

    @Override
    public boolean supportsMinimumSQLGrammar() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsMinimumSQLGrammar();
        }
    }

    @Override
    public boolean supportsMixedCaseIdentifiers() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsMixedCaseIdentifiers();
        }
    }

    @Override
    public boolean supportsMixedCaseQuotedIdentifiers() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsMixedCaseQuotedIdentifiers();
        }
    }

    @Override
    public boolean supportsMultipleOpenResults() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsMultipleOpenResults();
        }
    }

    @Override
    public boolean supportsMultipleResultSets() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsMultipleResultSets();
        }
    }

    @Override
    public boolean supportsMultipleTransactions() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsMultipleTransactions();
        }
    }

    @Override
    public boolean supportsNamedParameters() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsNamedParameters();
        }
    }

    @Override
    public boolean supportsNonNullableColumns() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsNonNullableColumns();
        }
    }

    @Override
    public boolean supportsOpenCursorsAcrossCommit() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsOpenCursorsAcrossCommit();
        }
    }

    @Override
    public boolean supportsOpenCursorsAcrossRollback() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsOpenCursorsAcrossRollback();
        }
    }

    @Override
    public boolean supportsOpenStatementsAcrossCommit() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsOpenStatementsAcrossCommit();
        }
    }

    @Override
    public boolean supportsOpenStatementsAcrossRollback() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsOpenStatementsAcrossRollback();
        }
    }

    @Override
    public boolean supportsOrderByUnrelated() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsOrderByUnrelated();
        }
    }

    @Override
    public boolean supportsOuterJoins() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsOuterJoins();
        }
    }

    @Override
    public boolean supportsPositionedDelete() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsPositionedDelete();
        }
    }

    @Override
    public boolean supportsPositionedUpdate() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsPositionedUpdate();
        }
    }

    @Override
    public boolean supportsRefCursors() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsRefCursors();
        }
    }

    @Override
    public boolean supportsResultSetConcurrency(int p0, int p1) throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsResultSetConcurrency(p0, p1);
        }
    }

    @Override
    public boolean supportsResultSetHoldability(int p0) throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsResultSetHoldability(p0);
        }
    }

    @Override
    public boolean supportsResultSetType(int p0) throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsResultSetType(p0);
        }
    }

    @Override
    public boolean supportsSavepoints() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsSavepoints();
        }
    }

    @Override
    public boolean supportsSchemasInDataManipulation() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsSchemasInDataManipulation();
        }
    }

    @Override
    public boolean supportsSchemasInIndexDefinitions() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsSchemasInIndexDefinitions();
        }
    }

    @Override
    public boolean supportsSchemasInPrivilegeDefinitions() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsSchemasInPrivilegeDefinitions();
        }
    }

    @Override
    public boolean supportsSchemasInProcedureCalls() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsSchemasInProcedureCalls();
        }
    }

    @Override
    public boolean supportsSchemasInTableDefinitions() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsSchemasInTableDefinitions();
        }
    }

    @Override
    public boolean supportsSelectForUpdate() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsSelectForUpdate();
        }
    }

    @Override
    public boolean supportsSharding() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsSharding();
        }
    }

    @Override
    public boolean supportsStatementPooling() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsStatementPooling();
        }
    }

    @Override
    public boolean supportsStoredFunctionsUsingCallSyntax() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsStoredFunctionsUsingCallSyntax();
        }
    }

    @Override
    public boolean supportsStoredProcedures() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsStoredProcedures();
        }
    }

    @Override
    public boolean supportsSubqueriesInComparisons() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsSubqueriesInComparisons();
        }
    }

    @Override
    public boolean supportsSubqueriesInExists() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsSubqueriesInExists();
        }
    }

    @Override
    public boolean supportsSubqueriesInIns() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsSubqueriesInIns();
        }
    }

    @Override
    public boolean supportsSubqueriesInQuantifieds() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsSubqueriesInQuantifieds();
        }
    }

    @Override
    public boolean supportsTableCorrelationNames() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsTableCorrelationNames();
        }
    }

    @Override
    public boolean supportsTransactionIsolationLevel(int p0) throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsTransactionIsolationLevel(p0);
        }
    }

    @Override
    public boolean supportsTransactions() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsTransactions();
        }
    }

    @Override
    public boolean supportsUnion() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsUnion();
        }
    }

    @Override
    public boolean supportsUnionAll() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().supportsUnionAll();
        }
    }

    @Override
    public boolean updatesAreDetected(int p0) throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().updatesAreDetected(p0);
        }
    }

    @Override
    public boolean usesLocalFilePerTable() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().usesLocalFilePerTable();
        }
    }

    @Override
    public boolean usesLocalFiles() throws java.sql.SQLException {
        try (Borrowed b = borrow()) {
            return b.metaData().usesLocalFiles();
        }
    }
}
