package io.shardgate.proxy.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/** The client side of one SCRAM-SHA-256 exchange, used to log in to backend databases. */
public final class ScramClient {
    private final String password;
    private final String clientNonce;
    private String clientFirstBare;
    private byte[] serverSignature;

    public ScramClient(String password) {
        this(password, Scram.nonce());
    }

    ScramClient(String password, String clientNonce) {
        this.password = password;
        this.clientNonce = clientNonce;
    }

    public String clientFirst() {
        clientFirstBare = "n=,r=" + clientNonce;
        return "n,," + clientFirstBare;
    }

    public String clientFinal(String serverFirst) {
        Map<Character, String> a = Scram.attributes(serverFirst);
        String nonce = a.get('r');
        if (nonce == null || !nonce.startsWith(clientNonce) || a.get('s') == null || a.get('i') == null) {
            throw new AuthenticationFailed("08P01", "malformed SCRAM server-first message from the backend");
        }
        int iterations = Integer.parseInt(a.get('i'));
        byte[] salted = Scram.saltedPassword(password, Scram.unb64(a.get('s')), iterations);
        String withoutProof = "c=biws,r=" + nonce;
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] clientKey = Scram.hmac(salted, "Client Key");
        byte[] clientSignature = Scram.hmac(Scram.sha256(clientKey), authMessage);
        serverSignature = Scram.hmac(Scram.hmac(salted, "Server Key"), authMessage);
        return withoutProof + ",p=" + Scram.b64(Scram.xor(clientKey, clientSignature));
    }

    /** Checks the server's signature, so that a backend impersonator is noticed. */
    public void serverFinal(String message) {
        String v = Scram.attributes(message).get('v');
        if (v == null || !MessageDigest.isEqual(Scram.unb64(v), serverSignature)) {
            throw new AuthenticationFailed("08P01", "the backend's SCRAM server signature is wrong"
                    + (message.startsWith("e=") ? ": " + message : ""));
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
