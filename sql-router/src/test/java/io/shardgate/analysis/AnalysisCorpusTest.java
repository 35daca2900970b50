package io.shardgate.analysis;

import io.shardgate.config.Dialect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.shardgate.analysis.SelectShape.Aggregate;
import io.shardgate.analysis.SelectShape.OrderKey;
import io.shardgate.analysis.SelectShape.SelectItem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs {@code analysis/corpus.txt}: real application SQL with the expected analysis. Each case is a block of
 * lines: {@code # title}, one or more {@code > sql} lines, then {@code key: expected} lines; only the keys given
 * are checked. Keys: dialect, kind, normalized, tail, tables, where, calcite, flags, insert, updated, items,
 * order, group, limit, having, unsupported, slots.
 */
class AnalysisCorpusTest {

    record Case(String title, int line, String sql, Map<String, String> expected) {
    }

    static List<Case> load() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = AnalysisCorpusTest.class.getResourceAsStream("/analysis/corpus.txt")) {
            assertNotNull(in, "analysis/corpus.txt on the test class path");
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1);
            String title = null;
            int titleLine = 0;
            StringBuilder sql = null;
            Map<String, String> expected = null;
            for (int i = 0; i <= lines.length; i++) {
                String line = i < lines.length ? lines[i].stripTrailing() : "";
                if (line.isEmpty() || line.startsWith("# ")) {
                    if (sql != null) {
                        cases.add(new Case(title, titleLine, sql.toString(), expected));
                        sql = null;
                    }
                    if (line.startsWith("# ")) {
                        title = line.substring(2);
                        titleLine = i + 1;
                    }
                    continue;
                }
                if (line.startsWith(">")) {
                    if (sql == null) {
                        sql = new StringBuilder();
                        expected = new LinkedHashMap<>();
                    } else {
                        sql.append('\n');
                    }
                    sql.append(line.substring(1).strip());
                    continue;
                }
                int colon = line.indexOf(':');
                if (sql == null || colon < 0) {
                    throw new IllegalStateException("corpus.txt line " + (i + 1) + ": expected '> sql' or 'key: value'");
                }
                expected.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> corpus() throws IOException {
        Analyzer analyzer = new Analyzer(1000);
        return load().stream().map(c -> DynamicTest.dynamicTest(c.line + ": " + c.title, () -> check(analyzer, c)));
    }

    private static void check(Analyzer analyzer, Case c) {
        Dialect d = Dialect.valueOf(c.expected.getOrDefault("dialect", "POSTGRESQL").toUpperCase(Locale.ROOT));
        LexedStatement l = SqlLexer.lex(c.sql, d);
        StatementInfo info = analyzer.analyze(l);
        String ctx = "\n  sql: " + c.sql + "\n  normalized: " + l.normalized() + "\n  info: " + info + "\n";
        for (Map.Entry<String, String> e : c.expected.entrySet()) {
            String want = e.getValue();
            String got = switch (e.getKey()) {
                case "dialect" -> want;
                case "kind" -> info.kind().name();
                case "normalized" -> l.normalized();
                case "tail" -> l.tail();
                case "tables" -> info.tables().stream().map(TableRef::toString).collect(Collectors.joining(", "));
                case "where" -> info.where().toString();
                case "calcite" -> String.valueOf(info.parsedByCalcite());
                case "flags" -> flags(l);
                case "insert" -> insert(l, info.insert());
                case "updated" -> String.join(", ", info.updatedColumns());
                case "items" -> items(info.select());
                case "order" -> order(info.select());
                case "group" -> info.select().groupBy().stream()
                        .map(g -> g.itemIndex() + ":" + g.expression()).collect(Collectors.joining(", "));
                case "limit" -> limit(l, info.select());
                case "having" -> String.valueOf(info.select().having());
                case "unsupported" -> {
                    String r = info.select().unsupportedReason();
                    if (want.equals("null")) {
                        yield String.valueOf(r);
                    }
                    assertTrue(r != null && r.contains(want), "unsupportedReason " + r + " should contain " + want + ctx);
                    yield want;
                }
                case "slots" -> l.slots().stream().map(s -> s.kind() == LexedStatement.SlotKind.PARAM
                        ? "$" + (s.paramIndex() + 1) : String.valueOf(s.literal())).collect(Collectors.joining(", "));
                default -> {
                    fail("unknown key " + e.getKey() + " at corpus.txt line " + c.line);
                    yield null;
                }
            };
            assertEquals(want, got, e.getKey() + ctx);
        }
        // invariants of the lexer on every corpus statement: each slot is a '?' of the normalised text that maps
        // back to where its value stands in the original, and the offset map is monotonic
        if (l.normalized() != null) {
            for (int i = 0; i < l.slots().size(); i++) {
                int at = l.slotNormalizedOffset(i);
                assertEquals('?', l.normalized().charAt(at), "slot " + i + ctx);
                assertEquals(l.slots().get(i).start(), l.toOriginalOffset(at), "slot " + i + " start" + ctx);
            }
            for (int i = 1; i <= l.normalized().length(); i++) {
                assertTrue(l.toOriginalOffset(i) >= l.toOriginalOffset(i - 1), "offset map at " + i + ctx);
            }
        }
        // the cache serves the same analysis for the same normalised text
        assertTrue(analyzer.analyze(SqlLexer.lex(c.sql, d)) == info || !l.kind().isDml());
    }

    static String flags(LexedStatement l) {
        List<String> f = new ArrayList<>();
        if (l.forUpdate()) {
            f.add("forUpdate");
        }
        if (l.returning()) {
            f.add("returning");
        }
        if (l.upsert()) {
            f.add("upsert");
        }
        if (l.insertIgnore()) {
            f.add("insertIgnore");
        }
        if (l.replace()) {
            f.add("replace");
        }
        return String.join(", ", f);
    }

    static String insert(LexedStatement l, InsertInfo ins) {
        if (ins == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(ins.table()).append(ins.columns());
        if (ins.fromSelect()) {
            return b.append(" select").toString();
        }
        b.append(' ').append(ins.rows());
        String n = l.normalized();
        b.append(" spans=");
        for (int[] sp : ins.rowSpans()) {
            b.append(n, sp[0], sp[1]);
        }
        if (ins.valuesStart() >= 0) {
            b.append(" values=").append(n, ins.valuesStart(), ins.valuesStart() + 6);
        }
        return b.toString();
    }

    static String items(SelectShape s) {
        List<String> out = new ArrayList<>();
        for (SelectItem i : s.items()) {
            String x = i.label();
            if (i.aggregate() != Aggregate.NONE) {
                x += "(" + i.aggregate() + (i.distinctAggregate() ? " DISTINCT" : "") + ")";
            }
            if (i.column() != null) {
                x += "=" + i.column();
            }
            out.add(x);
        }
        return String.join(", ", out) + (s.distinct() ? " distinct" : "");
    }

    static String order(SelectShape s) {
        List<String> out = new ArrayList<>();
        for (OrderKey k : s.orderBy()) {
            String x = k.itemIndex() + ":" + k.expression();
            if (k.descending()) {
                x += " DESC";
            }
            if (k.nullsFirst() != null) {
                x += k.nullsFirst() ? " NULLS FIRST" : " NULLS LAST";
            }
            out.add(x);
        }
        return String.join(", ", out);
    }

    static String limit(LexedStatement l, SelectShape s) {
        String clause = s.limitClauseStart() < 0 ? ""
                : " [" + l.normalized().substring(s.limitClauseStart(), s.limitClauseEnd()) + "]";
        return "limit=" + s.limit() + " offset=" + s.offset() + clause;
    }
}
