package io.shardgate.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.shardgate.config.Dialect;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A statement bound from the template of its literal shape must be exactly what lexing it gives: every text here is
 * lexed, its literals are swapped for others of another length (and, for strings, with quotes and escapes), and the
 * variant's lexing is compared with the template's binding, field by field and offset by offset.
 */
class LiteralShapeTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT abalance FROM pgbench_accounts WHERE aid = 48213;",
            "UPDATE pgbench_accounts SET abalance = abalance + -4120 WHERE aid = 7",
            "SELECT * FROM orders WHERE user_id = 42 AND note = 'it''s' AND id IN (1, 22, 333) LIMIT 10",
            "INSERT INTO users (id, name, email) VALUES (1, 'a', 'b'), (2, 'c', E'd\\ne') RETURNING id",
            "SELECT count(*) FROM t WHERE a BETWEEN 1.5 AND 2e3 AND b = $$x$$ /* shardgate: shard=s1 */",
            "SELECT '2024-01-01'::date, 5::bigint FROM t WHERE k = 99 AND flag = TRUE",
            "SELECT a FROM t WHERE k=1AND b='x'",
            "DELETE FROM t WHERE k = 12 AND s = $tag$a$b$tag$ AND p = $1",
            "WITH x AS (SELECT 1 AS one) SELECT * FROM x, t WHERE t.k = 5",
            "SELECT .5 + 1 FROM t WHERE k = 12345678901234567890",
            "SELECT * FROM t WHERE k = - 5 AND j IN (-1, -2.5)",
    })
    void bindingATemplateEqualsLexingPostgres(String sql) {
        assertBindsLikeLexing(sql, Dialect.POSTGRESQL);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT * FROM t WHERE k = 5 AND s = \"dq\" AND r = 'a\\'b'",
            "INSERT INTO t (k, v) VALUES (3, 'x') ON DUPLICATE KEY UPDATE v = VALUES(v)",
            "UPDATE t SET v = 'y' WHERE k = 77 # comment 1",
    })
    void bindingATemplateEqualsLexingMysql(String sql) {
        assertBindsLikeLexing(sql, Dialect.MYSQL);
    }

    /** Literals whose value is part of the statement's meaning: such texts are lexed one by one. */
    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT a, b FROM t WHERE k = 5 ORDER BY 2",
            "SELECT * FROM t WHERE d = DATE '2024-01-01' AND k = 1",
            "SELECT * FROM t WHERE k = 5 FOR UPDATE OF t SKIP LOCKED LIMIT 3", // the LIMIT is in the tail
    })
    void literalsThatStayInTheTextMakeNoTemplate(String sql) {
        SqlLexer.LiteralShape shape = SqlLexer.literalShape(sql, Dialect.POSTGRESQL);
        assertNotNull(shape);
        assertNull(SqlLexer.lex(sql, Dialect.POSTGRESQL).template(shape), sql);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "SELECT * FROM t WHERE k = 5       | SELECT * FROM t WHERE k = 'five'",
            "SELECT * FROM t WHERE k = 5       | SELECT * FROM t WHERE k =  5",
            "SELECT * FROM t WHERE k = 5       | SELECT * FROM t WHERE j = 5",
            "SELECT * FROM t WHERE k = 'a'     | SELECT * FROM t WHERE k = E'a'",
            "SELECT * FROM t WHERE k = 5 -- x  | SELECT * FROM t WHERE k = 5 -- y",
    })
    void differentStatementsHaveDifferentShapes(String a, String b) {
        SqlLexer.LiteralShape shapeA = SqlLexer.literalShape(a.strip(), Dialect.POSTGRESQL);
        SqlLexer.LiteralShape shapeB = SqlLexer.literalShape(b.strip(), Dialect.POSTGRESQL);
        assertNotEquals(shapeA.key(), shapeB.key());
        // the cache compares shapes in place: that must agree with their keys
        assertNotEquals(shapeA, shapeB);
        assertNotEquals(shapeB, shapeA);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT * FROM t WHERE k = $1", "BEGIN", "SELECT * FROM t WHERE a = TRUE",
            "SELECT 1 \u0003 2"})
    void textsWithoutNumberOrStringLiteralsOrWithMarkerCharactersHaveNoShape(String sql) {
        assertNull(SqlLexer.literalShape(sql, Dialect.POSTGRESQL));
    }

    private static void assertBindsLikeLexing(String sql, Dialect d) {
        SqlLexer.LiteralShape shape = SqlLexer.literalShape(sql, d);
        assertNotNull(shape, sql);
        LexedStatement.Template template = SqlLexer.lex(sql, d).template(shape);
        assertNotNull(template, "no template for " + sql);
        for (int variant = 0; variant < 3; variant++) {
            String other = withOtherLiterals(sql, shape, d, variant);
            SqlLexer.LiteralShape otherShape = SqlLexer.literalShape(other, d);
            assertEquals(shape.key(), otherShape.key(), other);
            // the cache compares and hashes shapes in place: that must agree with their keys
            assertEquals(shape, otherShape, other);
            assertEquals(otherShape, shape, other);
            assertEquals(shape.key().hashCode(), otherShape.hashCode(), other);
            assertSameLexing(SqlLexer.lex(other, d), template.bind(other, otherShape));
        }
    }

    /** {@code sql} with each literal replaced by another of its token type, shorter or longer. */
    private static String withOtherLiterals(String sql, SqlLexer.LiteralShape shape, Dialect d, int variant) {
        StringBuilder b = new StringBuilder();
        int from = 0;
        for (int j = 0; j < shape.count(); j++) {
            b.append(sql, from, shape.start[j]);
            String old = sql.substring(shape.start[j], shape.end[j]);
            b.append(switch (shape.type[j]) {
                case SqlLexer.NUMBER -> old.contains(".") || old.contains("e")
                        ? List.of("3.25", "1234567.125", "9e-3").get(variant)
                        : List.of("7", "123456789", "98765432109876543210").get(variant);
                case SqlLexer.STRING -> {
                    char q = old.charAt(0);
                    yield List.of(q + "" + q, q + "x" + q + q + "y z" + q,
                            q + (d == Dialect.MYSQL ? "back\\" + q + "slash" : "long text") + q).get(variant);
                }
                case SqlLexer.ESTRING -> List.of("E''", "E'tab\\there'", "e'q\\'s'").get(variant);
                case SqlLexer.DOLLARSTR -> List.of("$$$$", "$q$a 'b' $ c$q$", "$x$$x$").get(variant);
                default -> throw new AssertionError("literal type " + shape.type[j]);
            });
            from = shape.end[j];
        }
        return b.append(sql, from, sql.length()).toString();
    }

    private static void assertSameLexing(LexedStatement want, LexedStatement got) {
        String at = want.original();
        assertEquals(want.original(), got.original(), at);
        assertEquals(want.firstKeyword(), got.firstKeyword(), at);
        assertEquals(want.kind(), got.kind(), at);
        assertEquals(want.hints(), got.hints(), at);
        assertEquals(want.normalized(), got.normalized(), at);
        assertEquals(want.slots(), got.slots(), at);
        assertEquals(want.parameterCount(), got.parameterCount(), at);
        assertEquals(want.dollarParameters(), got.dollarParameters(), at);
        assertEquals(want.tail(), got.tail(), at);
        assertEquals(want.tailStart(), got.tailStart(), at);
        assertEquals(List.of(want.forUpdate(), want.returning(), want.upsert(), want.insertIgnore(), want.replace()),
                List.of(got.forUpdate(), got.returning(), got.upsert(), got.insertIgnore(), got.replace()), at);
        assertEquals(want.calciteBlocker, got.calciteBlocker, at);
        for (int i = 0; i <= want.normalized().length(); i++) {
            assertEquals(want.toOriginalOffset(i), got.toOriginalOffset(i), at + " at normalised offset " + i);
        }
        for (int i = 0; i < want.slots().size(); i++) {
            assertEquals(want.slotNormalizedOffset(i), got.slotNormalizedOffset(i), at + " slot " + i);
        }
    }
}
