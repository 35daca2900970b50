package io.shardgate.proxy.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * The server side of one SCRAM-SHA-256 exchange: {@link #clientFirst} returns server-first, {@link #clientFinal}
 * checks the proof and returns server-final. Channel binding is not offered (only SCRAM-SHA-256, not -PLUS), so
 * the GS2 header must be {@code n,,} or {@code y,,}.
 */
public final class ScramServer {
    private final Scram.Secret secret;
    private final String user;
    private String gs2Header;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;

    public ScramServer(String user, Scram.Secret secret) {
        this.user = user;
        this.secret = secret;
    }

    public String clientFirst(String message) {
        String gs2;
        if (message.startsWith("n,,") || message.startsWith("y,,")) {
            gs2 = message.substring(0, 3);
        } else if (message.startsWith("p=")) {
            throw new AuthenticationFailed("08P01", "SCRAM channel binding was requested but was not offered");
        } else {
            throw new AuthenticationFailed("08P01", "malformed SCRAM client-first message");
        }
        gs2Header = gs2;
        clientFirstBare = message.substring(3);
        String clientNonce = Scram.attributes(clientFirstBare).get('r');
        if (clientNonce == null || clientNonce.isEmpty()) {
            throw new AuthenticationFailed("08P01", "SCRAM client-first message without a nonce");
        }
        nonce = clientNonce + Scram.nonce();
        serverFirst = "r=" + nonce + ",s=" + Scram.b64(secret.salt()) + ",i=" + secret.iterations();
        return serverFirst;
    }

    /** Verifies the proof; returns the server-final message, or throws {@link AuthenticationFailed}. */
    public String clientFinal(String message) {
        int p = message.lastIndexOf(",p=");
        if (serverFirst == null || p < 0) {
            throw new AuthenticationFailed("08P01", "malformed SCRAM client-final message");
        }
        String withoutProof = message.substring(0, p);
        Map<Character, String> a = Scram.attributes(message);
        String binding = new String(Scram.unb64(a.getOrDefault('c', "")), StandardCharsets.UTF_8);
        if (!binding.equals(gs2Header) || !nonce.equals(a.get('r'))) {
            throw new AuthenticationFailed("08P01", "SCRAM client-final message does not match the exchange");
        }
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] proof = Scram.unb64(message.substring(p + 3));
        byte[] clientSignature = Scram.hmac(secret.storedKey(), authMessage);
        if (proof.length != clientSignature.length) {
            throw failed();
        }
        byte[] clientKey = Scram.xor(proof, clientSignature);
        if (!MessageDigest.isEqual(Scram.sha256(clientKey), secret.storedKey())) {
            throw failed();
        }
        return "v=" + Scram.b64(Scram.hmac(secret.serverKey(), authMessage));
    }

    private AuthenticationFailed failed() {
        return new AuthenticationFailed("password authentication failed for user \"" + user + "\"");
    }
}
