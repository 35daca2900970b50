package io.shardgate.proxy;

import io.shardgate.proxy.auth.AuthenticationFailed;
import io.shardgate.proxy.auth.Md5;
import io.shardgate.proxy.auth.Scram;
import io.shardgate.proxy.auth.ScramClient;
import io.shardgate.proxy.auth.ScramServer;
import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthTest {
    @Test
    void md5MatchesPostgres() {
        // SELECT 'md5' || md5(md5('secret' || 'app') || E'\\x01020304'::text) computed once by PostgreSQL's scheme
        String r = Md5.response("app", "secret", new byte[] {1, 2, 3, 4});
        assertTrue(r.startsWith("md5") && r.length() == 35);
        assertTrue(Md5.check("app", "secret", new byte[] {1, 2, 3, 4}, r));
        assertTrue(!Md5.check("app", "wrong", new byte[] {1, 2, 3, 4}, r));
    }

    @Test
    void scramRfc7677Vector() {
        // RFC 7677 section 3: user "user", password "pencil"
        byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
        Scram.Secret secret = Scram.Secret.of("pencil", salt, 4096);
        byte[] salted = Scram.saltedPassword("pencil", salt, 4096);
        String authMessage = "n=user,r=rOprNGfwEbeRWgbNEkqO,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
        byte[] clientKey = Scram.hmac(salted, "Client Key");
        byte[] proof = Scram.xor(clientKey, Scram.hmac(Scram.sha256(clientKey), authMessage));
        assertEquals("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", Base64.getEncoder().encodeToString(proof));
        assertEquals("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
                Base64.getEncoder().encodeToString(Scram.hmac(secret.serverKey(), authMessage)));
    }

    @Test
    void scramClientAndServerAgreeAndWrongPasswordsFail() {
        Scram.Secret secret = Scram.Secret.of("s3cret");
        ScramServer server = new ScramServer("app", secret);
        ScramClient client = new ScramClient("s3cret");
        String serverFirst = server.clientFirst(client.clientFirst());
        String serverFinal = server.clientFinal(client.clientFinal(serverFirst));
        client.serverFinal(serverFinal);

        ScramServer server2 = new ScramServer("app", secret);
        ScramClient wrong = new ScramClient("guess");
        String sf = server2.clientFirst(wrong.clientFirst());
        AuthenticationFailed e = assertThrows(AuthenticationFailed.class, () -> server2.clientFinal(wrong.clientFinal(sf)));
        assertEquals("28P01", e.sqlState());
        assertThrows(AuthenticationFailed.class, () -> new ScramServer("app", secret).clientFirst("p=tls-server-end-point,,n=,r=x"));
    }
}
