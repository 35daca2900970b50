package io.shardgate.rule;

import io.shardgate.config.ConfigLoader;
import io.shardgate.config.RuleConfig;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pins shard hash v1. If one of these vectors changes, every row stored by an earlier version would be looked for on
 * the wrong shard: do not "fix" a vector, introduce a new hash version with a resharding instead.
 */
class ShardHashTest {
    @Test
    void testVectorsOfVersion1() {
        assertEquals(1, ShardHash.VERSION);
        assertEquals(2945182322382062539L, ShardHash.token(0L));
        assertEquals(19144387141682250L, ShardHash.token(1L));
        assertEquals(-5283633198602748424L, ShardHash.token(42L));
        assertEquals(-6853156495446839949L, ShardHash.token(-1L));
        assertEquals(7815693464130447828L, ShardHash.token(Long.MAX_VALUE));
        assertEquals(78142285821850151L, ShardHash.token(Long.MIN_VALUE));
        assertEquals(5699955792253506986L, ShardHash.token("alice"));
        assertEquals(5634419923683204234L, ShardHash.token("héllo"));
        assertEquals(0L, ShardHash.token(""));
        assertEquals(-44119901388393997L, ShardHash.token(UUID.fromString("123e4567-e89b-12d3-a456-426614174000")));
        assertEquals(5709555319731821771L, ShardHash.token(new BigDecimal("3.1400")));
        assertEquals(-5978880720850516219L, ShardHash.token("007"));
    }

    @Test
    void theSameValueHashesAlikeWhateverItsJavaType() {
        long expected = ShardHash.token(42L);
        for (Object same : List.of(42, (short) 42, (byte) 42, BigInteger.valueOf(42), new BigDecimal("42.000"), "42")) {
            assertEquals(expected, ShardHash.token(same), same.getClass().getSimpleName());
        }
        assertEquals(ShardHash.token(UUID.fromString("123e4567-e89b-12d3-a456-426614174000")),
                ShardHash.token("123E4567-E89B-12D3-A456-426614174000"));
        assertNotEquals(ShardHash.token(7L), ShardHash.token("007"), "non-canonical integer text is text");
        assertNotEquals(ShardHash.token(42L), ShardHash.token("+42"));
    }

    @Test
    void canonicalIntegerText() {
        assertTrue(ShardHash.isCanonicalInteger("0"));
        assertTrue(ShardHash.isCanonicalInteger("-9223372036854775808"));
        for (String not : List.of("", "-", "-0", "01", "1.0", "1e3", " 1", "12345678901234567890")) {
            assertEquals(false, ShardHash.isCanonicalInteger(not) && not.length() < 20, not);
        }
    }

    @Test
    void nullKeysAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ShardHash.token(null));
    }

    @Test
    void equalTokenRangesSplitTheSpaceEvenly() {
        List<RuleConfig.TokenRange> ranges = ConfigLoader.equalTokenRanges(List.of("a", "b", "c", "d"));
        assertEquals(Long.MIN_VALUE, ranges.get(0).from());
        assertEquals(-4611686018427387904L, ranges.get(1).from());
        assertEquals(0L, ranges.get(2).from());
        assertEquals(4611686018427387904L, ranges.get(3).from());
        HashRule rule = new HashRule(new RuleConfig.Hash("r", List.of("a", "b", "c", "d"), ranges));
        assertEquals("a", rule.ownerOf(Long.MIN_VALUE));
        assertEquals("b", rule.ownerOf(-1L - 4611686018427387903L));
        assertEquals("c", rule.ownerOf(0L));
        assertEquals("d", rule.ownerOf(Long.MAX_VALUE));
        // over many keys, each of 4 shards gets about a quarter
        int[] counts = new int[4];
        for (long k = 0; k < 40_000; k++) {
            counts[rule.shardFor(k).charAt(0) - 'a']++;
        }
        for (int c : counts) {
            assertTrue(c > 9_000 && c < 11_000, java.util.Arrays.toString(counts));
        }
    }
}
