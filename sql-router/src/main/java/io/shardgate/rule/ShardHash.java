package io.shardgate.rule;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The shard hash, version 1. Changing any part of it would move every row to another shard, so it is pinned by
 * test vectors ({@code ShardHashTest}) and documented in docs/routing.md. A new function would be version 2 and
 * would come with a resharding.
 *
 * <p>The key is first put in a canonical byte form so that the same value hashes the same whatever way it arrives
 * (a JDBC long, a PostgreSQL text-format parameter "42", a SQL literal):
 * <ul>
 *   <li>integers (any Java integral type, an integral BigDecimal, or a string in canonical integer form
 *       {@code -?(0|[1-9][0-9]*)}) that fit in 64 bits: 8 bytes, little-endian two's complement;</li>
 *   <li>UUIDs (a UUID or a string in canonical 8-4-4-4-12 hex form, any case): 16 bytes, big-endian;</li>
 *   <li>byte arrays: as they are;</li>
 *   <li>anything else: the UTF-8 bytes of its text (BigDecimal without trailing zeros, plain notation).</li>
 * </ul>
 * The token is the first 64 bits of MurmurHash3 x64 128 with seed 0 over those bytes (Guava's
 * {@code Hashing.murmur3_128(0).hashBytes(b).asLong()}), read as a signed long.
 */
public final class ShardHash {
    public static final int VERSION = 1;
    private static final HashFunction MURMUR3 = Hashing.murmur3_128(0);

    private ShardHash() {
    }

    public static long token(Object key) {
        if (key == null) {
            throw new IllegalArgumentException("a shard key cannot be NULL");
        }
        return MURMUR3.hashBytes(canonicalBytes(key)).asLong();
    }

    static byte[] canonicalBytes(Object key) {
        if (key instanceof Long || key instanceof Integer || key instanceof Short || key instanceof Byte) {
            return longBytes(((Number) key).longValue());
        }
        if (key instanceof BigInteger b && b.bitLength() < 64) {
            return longBytes(b.longValue());
        }
        if (key instanceof BigDecimal d) {
            BigDecimal stripped = d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
            if (stripped.scale() <= 0 && stripped.toBigInteger().bitLength() < 64) {
                return longBytes(stripped.longValueExact());
            }
            return stripped.toPlainString().getBytes(StandardCharsets.UTF_8);
        }
        if (key instanceof UUID u) {
            return uuidBytes(u);
        }
        if (key instanceof byte[] b) {
            return b;
        }
        String s = key.toString();
        if (isCanonicalInteger(s)) {
            try {
                return longBytes(Long.parseLong(s));
            } catch (NumberFormatException tooBig) {
                return s.getBytes(StandardCharsets.UTF_8);
            }
        }
        if (isUuid(s)) {
            return uuidBytes(UUID.fromString(s));
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    private static byte[] uuidBytes(UUID u) {
        return ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array();
    }

    static boolean isCanonicalInteger(String s) {
        int n = s.length();
        int i = n > 0 && s.charAt(0) == '-' ? 1 : 0;
        if (i == n || n - i > 19) {
            return false;
        }
        if (s.charAt(i) == '0') {
            return n - i == 1 && i == 0;
        }
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isUuid(String s) {
        if (s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : Character.digit(c, 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
