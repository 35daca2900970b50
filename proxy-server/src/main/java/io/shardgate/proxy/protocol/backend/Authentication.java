package io.shardgate.proxy.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;
import io.shardgate.proxy.protocol.ProtocolException;
import io.shardgate.proxy.protocol.Wire;

import java.util.ArrayList;
import java.util.List;

/** The authentication requests ('R'), told apart by an int32 code after the length. */
public sealed interface Authentication extends PgMessage permits AuthenticationOk, AuthenticationCleartextPassword,
        AuthenticationMD5Password, AuthenticationSASL, AuthenticationSASLContinue, AuthenticationSASLFinal {

    static Authentication decode(ByteBuf body) {
        Wire.need(body, 4, "Authentication");
        int code = body.readInt();
        switch (code) {
            case 0:
                return AuthenticationOk.INSTANCE;
            case 3:
                return AuthenticationCleartextPassword.INSTANCE;
            case 5: {
                Wire.need(body, 4, "AuthenticationMD5Password");
                byte[] salt = new byte[4];
                body.readBytes(salt);
                return new AuthenticationMD5Password(salt);
            }
            case 10: {
                List<String> mechanisms = new ArrayList<>();
                while (body.isReadable()) {
                    String m = Wire.readCString(body);
                    if (m.isEmpty()) {
                        break;
                    }
                    mechanisms.add(m);
                }
                return new AuthenticationSASL(mechanisms);
            }
            case 11:
            case 12: {
                byte[] data = new byte[body.readableBytes()];
                body.readBytes(data);
                return code == 11 ? new AuthenticationSASLContinue(data) : new AuthenticationSASLFinal(data);
            }
            default:
                throw new ProtocolException("authentication method " + code + " is not supported by shardgate "
                        + "(supported: trust, password, md5, scram-sha-256)");
        }
    }
}
