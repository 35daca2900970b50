package io.shardgate.rule;

import io.shardgate.config.ConfigLoader;
import io.shardgate.config.RuleConfig;
import io.shardgate.config.ShardgateConfig;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RangeRuleTest {
    private static RangeRule rule(String ranges) {
        ShardgateConfig c = ConfigLoader.parse("""
                databases:
                  a: { url: "jdbc:postgresql://h:1/x", user: u }
                  b: { url: "jdbc:postgresql://h:2/x", user: u }
                  c: { url: "jdbc:postgresql://h:3/x", user: u }
                shards:
                  s0: { primary: a }
                  s1: { primary: b }
                  s2: { primary: c }
                rules:
                  r: { type: range, ranges: %s }
                """.formatted(ranges), "t", Map.<String, String>of()::get);
        return new RangeRule((RuleConfig.Range) c.rules().get("r"));
    }

    @Test
    void integerRangesAreHalfOpen() {
        RangeRule r = rule("[ { to: 100, shard: s0 }, { from: 100, to: 200, shard: s1 }, { from: 200, shard: s2 } ]");
        assertEquals("s0", r.shardFor(-5L));
        assertEquals("s0", r.shardFor(99));
        assertEquals("s1", r.shardFor(100L));
        assertEquals("s1", r.shardFor("150"));
        assertEquals("s2", r.shardFor(new java.math.BigDecimal("200")));
        assertEquals(Set.of("s0", "s1"), r.shardsForRange(50L, true, 150L, true));
        assertEquals(Set.of("s0"), r.shardsForRange(null, false, 100L, false), "< 100 stays on s0");
        assertEquals(Set.of("s0", "s1"), r.shardsForRange(null, false, 100L, true), "<= 100 touches s1");
        assertEquals(Set.of("s2"), r.shardsForRange(200L, true, null, false));
        assertEquals(Set.of("s1", "s2"), r.shardsForRange(199L, false, null, false));
    }

    @Test
    void dateRangesAcceptDatesTimestampsAndOffsets() {
        RangeRule r = rule("[ { to: \"2025-01-01\", shard: s0 }, { from: \"2025-01-01\", shard: s1 } ]");
        assertEquals(RuleConfig.KeyType.DATE, r.keyType());
        assertEquals("s0", r.shardFor("2024-12-31 23:59:59"));
        assertEquals("s1", r.shardFor("2025-01-01"));
        assertEquals("s1", r.shardFor(LocalDate.of(2025, 6, 1)));
        assertEquals("s0", r.shardFor(OffsetDateTime.parse("2025-01-01T01:00:00+02:00")), "23:00 UTC on Dec 31");
        assertEquals("s1", r.shardFor(java.sql.Timestamp.valueOf("2025-03-01 10:00:00")));
        assertEquals("s1", r.shardFor("2025-01-01 00:30:00+00"));
    }

    @Test
    void keysOutsideEveryRangeAndBadValuesAreClearErrors() {
        RangeRule r = rule("[ { from: 0, to: 100, shard: s0 } ]");
        RoutingException e = assertThrows(RoutingException.class, () -> r.shardFor(100L));
        assertTrue(e.getMessage().contains("outside every configured range"), e.getMessage());
        RoutingException bad = assertThrows(RoutingException.class, () -> r.shardFor("abc"));
        assertTrue(bad.getMessage().contains("rule 'r'"), bad.getMessage());
    }
}
