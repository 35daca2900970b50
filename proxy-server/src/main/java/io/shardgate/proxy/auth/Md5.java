package io.shardgate.proxy.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/** PostgreSQL's MD5 password scheme: {@code "md5" + md5hex(md5hex(password + user) + salt)}. */
public final class Md5 {
    private Md5() {
    }

    public static String response(String user, String password, byte[] salt) {
        String inner = hex(md5(password.getBytes(StandardCharsets.UTF_8), user.getBytes(StandardCharsets.UTF_8)));
        return "md5" + hex(md5(inner.getBytes(StandardCharsets.US_ASCII), salt));
    }

    public static boolean check(String user, String password, byte[] salt, String response) {
        return MessageDigest.isEqual(response(user, password, salt).getBytes(StandardCharsets.US_ASCII),
                response.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] salt() {
        byte[] s = new byte[4];
        Scram.RANDOM.nextBytes(s);
        return s;
    }

    private static byte[] md5(byte[] a, byte[] b) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            md.update(a);
            md.update(b);
            return md.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MD5 unavailable", e);
        }
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return sb.toString();
    }
}
