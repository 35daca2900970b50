package io.shardgate.proxy.auth;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** SCRAM-SHA-256 primitives (RFC 5802 / RFC 7677) shared by the client and server sides. */
public final class Scram {
    public static final String MECHANISM = "SCRAM-SHA-256";
    static final SecureRandom RANDOM = new SecureRandom();

    private Scram() {
    }

    /** Hi(): PBKDF2 with HMAC-SHA-256. The password is used as given (no SASLprep: ASCII passwords are unaffected). */
    public static byte[] saltedPassword(String password, byte[] salt, int iterations) {
        try {
            SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            return f.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        }
    }

    public static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    public static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    public static String nonce() {
        byte[] b = new byte[18];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static byte[] unb64(String s) {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new AuthenticationFailed("malformed SCRAM message: bad base64");
        }
    }

    /** Parses {@code k=v,k=v} attributes (values may contain '='). */
    static Map<Character, String> attributes(String message) {
        Map<Character, String> m = new HashMap<>();
        for (String part : message.split(",")) {
            if (part.length() >= 2 && part.charAt(1) == '=') {
                m.putIfAbsent(part.charAt(0), part.substring(2));
            }
        }
        return m;
    }

    /** The stored credentials of one password: what a server keeps instead of the password. */
    public record Secret(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
        public static Secret of(String password) {
            byte[] salt = new byte[16];
            RANDOM.nextBytes(salt);
            return of(password, salt, 4096);
        }

        public static Secret of(String password, byte[] salt, int iterations) {
            byte[] salted = saltedPassword(password, salt, iterations);
            return new Secret(salt, iterations, sha256(hmac(salted, "Client Key")), hmac(salted, "Server Key"));
        }
    }
}
