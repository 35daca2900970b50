package io.shardgate.analysis;

import io.shardgate.config.Dialect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardgate.analysis.LexedStatement.Slot;
import io.shardgate.analysis.LexedStatement.SlotKind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlLexerTest {
    /** Operators are single tokens, longest first; everything else of punctuation is one character a token. */
    @Test
    void operatorTokens() {
        String sql = "a->>'k' #>> b :: int <= >= <> != || -> #> @> <@ := => = - + < > ! | # @ : ; ( ) ,";
        SqlLexer.Tokens t = SqlLexer.tokenize(sql, Dialect.POSTGRESQL);
        StringBuilder ops = new StringBuilder();
        for (int k = 0; k < t.n; k++) {
            if (t.type[k] == SqlLexer.OP) {
                ops.append(sql, t.start[k], t.end[k]).append(' ');
            }
        }
        assertEquals("->> #>> :: <= >= <> != || -> #> @> <@ := => = - + < > ! | # @ : ; ( ) , ", ops.toString());
    }


    private static LexedStatement pg(String sql) {
        return SqlLexer.lex(sql, Dialect.POSTGRESQL);
    }

    private static LexedStatement my(String sql) {
        return SqlLexer.lex(sql, Dialect.MYSQL);
    }

    // ---------------------------------------------------------------------------------------------- split

    @Test
    void splitsOnSemicolonsAndDropsEmptyStatements() {
        assertEquals(List.of("SELECT 1", "SELECT 2"), SqlLexer.split(" SELECT 1; ;\n SELECT 2 ;", Dialect.POSTGRESQL));
        assertEquals(List.of(), SqlLexer.split(" ; -- nothing\n ; /* x */", Dialect.POSTGRESQL));
        assertEquals(List.of("SELECT 1"), SqlLexer.split("SELECT 1;\n", Dialect.POSTGRESQL));
        assertEquals(List.of("SELECT ';'"), SqlLexer.split("SELECT ';'", Dialect.POSTGRESQL));
        assertEquals(List.of("SELECT ';'"), SqlLexer.split("SELECT ';' ;", Dialect.POSTGRESQL));
        assertEquals(List.of(), SqlLexer.split("-- only a comment;", Dialect.POSTGRESQL));
    }

    @Test
    void splitRespectsPostgresQuoting() {
        String sql = "SELECT 'a;b', 'it''s;', E'x\\';y', $$;$$, $fn$ body; $$ still $fn$, \"we;ird\" FROM t"
                + " -- c;omment\n WHERE /* a /* nested; */ still; */ x = 1; SELECT 2";
        List<String> parts = SqlLexer.split(sql, Dialect.POSTGRESQL);
        assertEquals(2, parts.size(), parts.toString());
        assertTrue(parts.get(0).endsWith("x = 1"));
        assertEquals("SELECT 2", parts.get(1));
    }

    @Test
    void splitRespectsMysqlQuoting() {
        String sql = "SELECT 'a\\';b', \"c;\\\"d\", `we;ird` FROM t # hash; comment\n WHERE x = 1 -- dash; comment\n;"
                + "SELECT 2";
        List<String> parts = SqlLexer.split(sql, Dialect.MYSQL);
        assertEquals(2, parts.size(), parts.toString());
        assertEquals("SELECT 2", parts.get(1));
    }

    @Test
    void hashIsNotACommentInPostgres() {
        assertEquals(2, SqlLexer.split("SELECT 1 # 2; SELECT 3", Dialect.POSTGRESQL).size());
        assertEquals(1, SqlLexer.split("SELECT 1 # 2; SELECT 3", Dialect.MYSQL).size());
    }

    @Test
    void mysqlDoubleDashNeedsWhitespace() {
        LexedStatement l = my("SELECT a--1 FROM t");
        assertEquals("SELECT a-? FROM t", l.normalized());
    }

    // ---------------------------------------------------------------------------------------------- classification

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "SELECT 1 | SELECT",
        "values (1) | SELECT",
        "(SELECT 1) UNION (SELECT 2) | SELECT",
        "TABLE users | SELECT",
        "WITH x AS (SELECT 1) SELECT * FROM x | SELECT",
        "WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x | INSERT",
        "WITH RECURSIVE x(n) AS (SELECT 1) UPDATE t SET a = 1 | UPDATE",
        "with d as (select 1) delete from t | DELETE",
        "INSERT INTO t VALUES (1) | INSERT",
        "REPLACE INTO t VALUES (1) | INSERT",
        "update t set a = 1 | UPDATE",
        "DELETE FROM t | DELETE",
        "BEGIN | BEGIN",
        "begin work | BEGIN",
        "START TRANSACTION | BEGIN",
        "COMMIT | COMMIT",
        "END | COMMIT",
        "ROLLBACK | ROLLBACK",
        "ABORT | ROLLBACK",
        "ROLLBACK TO SAVEPOINT s1 | ROLLBACK_TO_SAVEPOINT",
        "rollback work to s1 | ROLLBACK_TO_SAVEPOINT",
        "ROLLBACK TRANSACTION TO SAVEPOINT s1 | ROLLBACK_TO_SAVEPOINT",
        "SAVEPOINT s1 | SAVEPOINT",
        "RELEASE SAVEPOINT s1 | RELEASE_SAVEPOINT",
        "RELEASE s1 | RELEASE_SAVEPOINT",
        "CREATE TABLE t (a int) | DDL",
        "ALTER TABLE t ADD b int | DDL",
        "DROP TABLE t | DDL",
        "TRUNCATE t | DDL",
        "COMMENT ON TABLE t IS 'x' | DDL",
        "GRANT SELECT ON t TO u | DDL",
        "REVOKE SELECT ON t FROM u | DDL",
        "RENAME TABLE a TO b | DDL",
        "SET search_path = x | SET",
        "SET TRANSACTION READ ONLY | SET",
        "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY | SET",
        "SHOW server_version | SHOW",
        "RESET ALL | RESET",
        "DISCARD ALL | DISCARD",
        "USE shop | USE",
        "COPY t FROM STDIN | COPY",
        "EXPLAIN ROUTE SELECT 1 | EXPLAIN_ROUTE",
        "EXPLAIN SELECT 1 | EXPLAIN",
        "explain analyze select 1 | EXPLAIN",
        "-- only a comment | EMPTY",
        "VACUUM t | OTHER",
        "LOCK TABLE t | OTHER",
    })
    void classifies(String sql, StatementKind kind) {
        assertEquals(kind, pg(sql).kind());
    }

    @Test
    void kindHelpers() {
        assertTrue(StatementKind.SELECT.isDml());
        assertFalse(StatementKind.DDL.isDml());
        assertTrue(StatementKind.ROLLBACK_TO_SAVEPOINT.isTransactionControl());
        assertFalse(StatementKind.SET.isTransactionControl());
        assertTrue(StatementKind.USE.isSession());
        assertFalse(StatementKind.COPY.isSession());
    }

    @Test
    void readOnlyTransactions() {
        assertTrue(pg("BEGIN READ ONLY").readOnlyTransaction());
        assertTrue(pg("START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").readOnlyTransaction());
        assertFalse(pg("BEGIN READ WRITE").readOnlyTransaction());
        assertFalse(pg("BEGIN").readOnlyTransaction());
        assertEquals("BEGIN", pg("/* x */ begin").firstKeyword());
    }

    @Test
    void explainRouteKeepsTheInnerStatement() {
        LexedStatement l = pg("EXPLAIN ROUTE  SELECT * FROM t WHERE id = 1");
        assertEquals("SELECT * FROM t WHERE id = 1", l.innerStatement());
        assertNull(l.normalized());
    }

    @Test
    void cursorsAndPreparedStatementsKeepTheirInnerStatement() {
        assertEquals("SELECT * FROM t FOR UPDATE",
                pg("DECLARE c NO SCROLL CURSOR WITH HOLD FOR SELECT * FROM t FOR UPDATE;").innerStatement());
        assertEquals("INSERT INTO t (a) VALUES ($1)",
                pg("PREPARE w (bigint, numeric(10, 2)) AS INSERT INTO t (a) VALUES ($1)").innerStatement());
        assertEquals("SELECT 'it''s' FROM t", my("PREPARE s FROM 'SELECT ''it''''s'' FROM t'").innerStatement());
        assertEquals(StatementKind.OTHER, pg("DECLARE c CURSOR FOR SELECT 1").kind());
        assertNull(pg("PREPARE TRANSACTION 'tx'").innerStatement());
        assertNull(my("PREPARE s FROM @text").innerStatement());
        assertNull(pg("FETCH 10 FROM c").innerStatement());
    }

    @Test
    void identifiersLeaveOutStringsAndComments() {
        assertEquals(List.of("vacuum", "Users", "t"),
                SqlLexer.identifiers("/* orders */ VACUUM \"Users\", t -- orders\n", Dialect.POSTGRESQL));
        assertEquals(List.of("notify", "c"), SqlLexer.identifiers("NOTIFY c, 'orders'", Dialect.POSTGRESQL));
    }

    @Test
    void explicitTableReadsAsSelectStar() {
        assertEquals("/* shardgate:primary */ (SELECT * FROM ONLY s.t ORDER BY 1)",
                SqlLexer.explicitTableAsSelect("/* shardgate:primary */ (TABLE ONLY s.t ORDER BY 1)",
                        Dialect.POSTGRESQL));
        assertNull(SqlLexer.explicitTableAsSelect("SELECT * FROM t", Dialect.POSTGRESQL));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "CREATE TABLE IF NOT EXISTS public.Users (id int) | users",
        "CREATE UNLOGGED TABLE \"Odd\" (id int) | Odd",
        "ALTER TABLE IF EXISTS ONLY s.orders ADD c int | orders",
        "DROP TABLE IF EXISTS a, s.b CASCADE | a;b",
        "TRUNCATE TABLE a, b | a;b",
        "TRUNCATE ONLY a | a",
        "CREATE UNIQUE INDEX CONCURRENTLY ix ON ONLY public.orders (c) | orders",
        "CREATE INDEX ON orders USING btree (c) | orders",
        "COMMENT ON TABLE orders IS 'x' | orders",
        "COPY orders (a, b) FROM STDIN WITH (FORMAT csv) | orders",
        "COPY public.orders TO STDOUT | orders",
        "COPY (SELECT 1) TO STDOUT | ''",
        "GRANT SELECT ON t TO u | ''",
    })
    void objectTables(String sql, String tables) {
        List<String> expected = tables.isEmpty() ? List.of() : List.of(tables.split(";"));
        assertEquals(expected, pg(sql).objectTables());
    }

    // ---------------------------------------------------------------------------------------------- hints

    @Test
    void hintsFromAnyComment() {
        assertEquals(Map.of("primary", "true"), pg("/* shardgate:primary */ SELECT 1").hints());
        assertEquals(Map.of("shard", "s1", "primary", "true"),
                pg("SELECT 1 /* shardgate: shard=s1, primary */").hints());
        assertEquals(Map.of("primary", "true"), pg("SELECT 1 -- shardgate:PRIMARY\n").hints());
        assertEquals(Map.of("shard", "S2"), my("# shardgate:shard=S2\nSELECT 1").hints());
        assertEquals(Map.of(), pg("/* app=orders */ SELECT 1").hints());
        // an ORM comment before the hint and the keyword
        LexedStatement l = pg("/* Hibernate: load User */ /* shardgate:shard=s3 */ select 1");
        assertEquals("s3", l.hints().get("shard"));
        assertEquals(StatementKind.SELECT, l.kind());
        assertEquals("select ?", l.normalized());
    }

    @Test
    void hintOnNonDml() {
        assertEquals(Map.of("primary", "true"), pg("/*shardgate:primary*/ SHOW x").hints());
    }

    // ---------------------------------------------------------------------------------------------- normalisation

    @Test
    void collapsesWhitespaceAndDropsComments() {
        LexedStatement l = pg("SELECT  a ,\n\tb /* c */ FROM -- d\n t");
        assertEquals("SELECT a , b FROM t", l.normalized());
    }

    @Test
    void dollarParameters() {
        LexedStatement l = pg("SELECT * FROM t WHERE a = $2 AND b = $1 AND c = $2");
        assertEquals("SELECT * FROM t WHERE a = ? AND b = ? AND c = ?", l.normalized());
        assertTrue(l.dollarParameters());
        assertEquals(2, l.parameterCount());
        assertEquals(List.of(1, 0, 1), l.slots().stream().map(Slot::paramIndex).toList());
        assertTrue(l.slots().stream().allMatch(s -> s.kind() == SlotKind.PARAM));
    }

    @Test
    void jdbcParameters() {
        LexedStatement l = pg("select * from t where a = ? and b in (?, ?)");
        assertFalse(l.dollarParameters());
        assertEquals(3, l.parameterCount());
        assertEquals(List.of(0, 1, 2), l.slots().stream().map(Slot::paramIndex).toList());
    }

    @Test
    void literalsBecomeSlotsWithValues() {
        LexedStatement l = pg("SELECT * FROM t WHERE a = 42 AND b = 'it''s' AND c = E'x\\ny' AND d = 1.50 "
                + "AND e = TRUE AND f = -7 AND g = 99999999999999999999 AND h = $q$dollar$q$ AND i IS NULL "
                + "AND j IS NOT TRUE AND k = 1e3");
        assertEquals("SELECT * FROM t WHERE a = ? AND b = ? AND c = ? AND d = ? AND e = ? AND f = ? AND g = ? "
                + "AND h = ? AND i IS NULL AND j IS NOT TRUE AND k = ?", l.normalized());
        List<Object> values = l.slots().stream().map(Slot::literal).toList();
        assertEquals(List.of(42L, "it's", "x\ny", new BigDecimal("1.50"), true, -7L,
                new BigInteger("99999999999999999999"), "dollar", new BigDecimal("1e3")), values);
        assertTrue(l.slots().stream().allMatch(s -> s.kind() == SlotKind.LITERAL && s.paramIndex() == -1));
        Slot neg = l.slots().get(5);
        assertEquals("-7", l.original().substring(neg.start(), neg.end()));
        Slot str = l.slots().get(1);
        assertEquals("'it''s'", l.original().substring(str.start(), str.end()));
        assertEquals(0, l.parameterCount());
    }

    @Test
    void binaryMinusStaysAnOperator() {
        LexedStatement l = pg("SELECT a - 1, b-2 FROM t WHERE c = (3) - 4");
        assertEquals("SELECT a - ?, b-? FROM t WHERE c = (?) - ?", l.normalized());
        assertEquals(List.of(1L, 2L, 3L, 4L), l.slots().stream().map(Slot::literal).toList());
    }

    @Test
    void mysqlStringsUnescape() {
        LexedStatement l = my("SELECT * FROM t WHERE a = 'x\\'y' AND b = \"q\\\"r\" AND `c` = 1");
        assertEquals("SELECT * FROM t WHERE a = ? AND b = ? AND `c` = ?", l.normalized());
        assertEquals(List.of("x'y", "q\"r", 1L), l.slots().stream().map(Slot::literal).toList());
    }

    @Test
    void typedLiteralsAndOrdinalsStayVerbatim() {
        LexedStatement l = pg("SELECT a, count(*) FROM t WHERE d > DATE '2024-01-01' AND ts < TIMESTAMP '2024-02-01 00:00'"
                + " AND x = 5 GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10");
        assertEquals("SELECT a, count(*) FROM t WHERE d > DATE '2024-01-01' AND ts < TIMESTAMP '2024-02-01 00:00'"
                + " AND x = ? GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?", l.normalized());
        assertEquals(List.of(5L, 10L), l.slots().stream().map(Slot::literal).toList());
    }

    @Test
    void orderByExpressionWithNumberIsParameterised() {
        assertEquals("SELECT a FROM t ORDER BY a + ?, 2", pg("SELECT a FROM t ORDER BY a + 1, 2").normalized());
    }

    @Test
    void literalVariantsNormaliseIdentically() {
        String a = pg("SELECT * FROM users WHERE id = 1 AND name = 'x' AND active = true LIMIT 5").normalized();
        String b = pg("SELECT * FROM users WHERE id = 987654 AND name = 'other name' AND active = false LIMIT 50")
                .normalized();
        String c = pg("SELECT * FROM users WHERE id = $1 AND name = $2 AND active = $3 LIMIT $4").normalized();
        assertEquals(a, b);
        assertEquals(a, c);
    }

    @Test
    void castsBecomeCastCalls() {
        assertEquals("SELECT CAST(? AS int), CAST(a.b AS text), CAST((x + ?) AS numeric(12,2)), CAST(now() AS date),"
                        + " CAST(c AS timestamp with time zone), CAST(d AS character varying(20)), CAST(e AS text[]),"
                        + " CAST(CAST(f AS text) AS int), CAST(\"Q\" AS double precision) FROM t",
                pg("SELECT $1::int, a.b::text, (x + 1)::numeric(12,2), now()::date, c::timestamp with time zone,"
                        + " d::character varying(20), e::text[], f::text::int, \"Q\"::double precision FROM t")
                        .normalized());
        assertEquals("SELECT * FROM t WHERE id = CAST(? AS bigint) AND ts > CAST(? AS pg_catalog.timestamptz)",
                pg("SELECT * FROM t WHERE id = $1::bigint AND ts > '2020-01-01'::pg_catalog.timestamptz").normalized());
    }

    @Test
    void tailsAreCut() {
        LexedStatement l = pg("INSERT INTO t (a) VALUES ($1) ON CONFLICT (a) DO UPDATE SET b = $2 RETURNING id");
        assertEquals("INSERT INTO t (a) VALUES (?)", l.normalized());
        assertEquals("ON CONFLICT (a) DO UPDATE SET b = $2 RETURNING id", l.tail());
        assertTrue(l.upsert());
        assertTrue(l.returning());
        assertFalse(l.forUpdate());
        assertEquals(2, l.parameterCount());
        assertEquals(1, l.slots().size());

        l = pg("SELECT * FROM t WHERE id = 1 FOR NO KEY UPDATE OF t NOWAIT");
        assertEquals("SELECT * FROM t WHERE id = ?", l.normalized());
        assertTrue(l.forUpdate());
        assertEquals("FOR NO KEY UPDATE OF t NOWAIT", l.tail());
        assertTrue(pg("SELECT * FROM t FOR SHARE SKIP LOCKED").forUpdate());
        assertTrue(pg("SELECT * FROM t FOR KEY SHARE").forUpdate());
        assertTrue(my("SELECT * FROM t WHERE id = 1 LOCK IN SHARE MODE").forUpdate());
        assertEquals("DELETE FROM t WHERE id = ?", pg("DELETE FROM t WHERE id = $1 RETURNING *").normalized());
        // a locking clause inside a subquery is not the statement's tail
        l = pg("SELECT * FROM (SELECT * FROM t FOR UPDATE) x");
        assertEquals("", l.tail());
        assertFalse(l.forUpdate());
    }

    @Test
    void mysqlInsertVariants() {
        LexedStatement l = my("INSERT IGNORE INTO t (a) VALUES (1) ON DUPLICATE KEY UPDATE a = a + 1");
        assertEquals("INSERT INTO t (a) VALUES (?)", l.normalized());
        assertTrue(l.insertIgnore());
        assertTrue(l.upsert());
        assertEquals("ON DUPLICATE KEY UPDATE a = a + 1", l.tail());
        l = my("REPLACE INTO t (a) VALUES (?)");
        assertEquals(StatementKind.INSERT, l.kind());
        assertEquals("INSERT INTO t (a) VALUES (?)", l.normalized());
        assertTrue(l.replace());
        assertEquals(0, l.toOriginalOffset(0));
    }

    @Test
    void offsetMapping() {
        String sql = "SELECT  *\n FROM t /* c */ WHERE id = 'abc' AND x = $1::int LIMIT 10";
        LexedStatement l = pg(sql);
        String norm = l.normalized();
        assertEquals("SELECT * FROM t WHERE id = ? AND x = CAST(? AS int) LIMIT ?", norm);
        // token starts map to token starts
        assertEquals(sql.indexOf("FROM"), l.toOriginalOffset(norm.indexOf("FROM")));
        assertEquals(sql.indexOf("WHERE"), l.toOriginalOffset(norm.indexOf("WHERE")));
        assertEquals(sql.indexOf("'abc'"), l.toOriginalOffset(norm.indexOf("= ?") + 2));
        assertEquals(sql.indexOf("LIMIT"), l.toOriginalOffset(norm.indexOf("LIMIT")));
        // token ends map to token ends
        assertEquals(sql.indexOf("'abc'") + 5, l.toOriginalOffset(norm.indexOf("= ?") + 3));
        assertEquals(sql.length(), l.toOriginalOffset(norm.length()));
        assertEquals(sql.indexOf("$1"), l.toOriginalOffset(norm.indexOf("CAST")));
        assertEquals(sql.indexOf(" LIMIT"), l.toOriginalOffset(norm.indexOf(" LIMIT")));
        // splicing the original at mapped positions keeps the untouched text
        int a = l.toOriginalOffset(norm.indexOf("LIMIT"));
        assertEquals("LIMIT 10", sql.substring(a));
    }

    @Test
    void questionMarkOperatorWithDollarParametersBlocksCalcite() {
        LexedStatement l = pg("SELECT * FROM t WHERE doc ? 'k' AND id = $1");
        assertEquals(1, l.parameterCount());
        assertEquals(2, l.slots().size());
        assertTrue(l.calciteBlocker != null);
    }

    @Test
    void selectFromWithoutSpaces() {
        LexedStatement l = pg("select*from t where a=1");
        assertEquals("select*from t where a=?", l.normalized());
    }

    @Test
    void splitKeepsStatementsThatStartWithACommentAndDropsCommentOnlyOnes() {
        assertEquals(List.of("/* a */ SELECT 1", "-- b\nSELECT 2", "SELECT 3 -- c"),
                SqlLexer.split("/* a */ SELECT 1; -- b\nSELECT 2; /* only */; -- only\n; SELECT 3 -- c",
                        Dialect.POSTGRESQL));
        assertEquals(List.of("# a\nSELECT 1"), SqlLexer.split("# a\nSELECT 1; # only", Dialect.MYSQL));
    }

    @Test
    void placeholdersSkipStringsQuotedNamesDollarQuotesAndComments() {
        String pg = "SELECT $1, '$2 ?', E'\\' $3', \"?\", $tag$ $4 ? $tag$, x$5 -- $6 ?\n /* $7 /* ? */ */ ? $10";
        List<int[]> found = SqlLexer.placeholders(pg, Dialect.POSTGRESQL);
        assertEquals(List.of("$1:0", "?:-1", "$10:9"), found.stream()
                .map(p -> pg.substring(p[0], p[1]) + ":" + p[2]).toList());

        String my = "SELECT ?, '\\' ?', `?`, \"?\" # ?\n -- ?\n ?";
        List<int[]> mysql = SqlLexer.placeholders(my, Dialect.MYSQL);
        assertEquals(2, mysql.size());
        assertEquals(7, mysql.get(0)[0]);
        assertEquals(my.length() - 1, mysql.get(1)[0]);
    }
}
