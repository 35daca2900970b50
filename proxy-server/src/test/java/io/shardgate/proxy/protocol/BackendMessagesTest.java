package io.shardgate.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shardgate.proxy.protocol.backend.Authentication;
import io.shardgate.proxy.protocol.backend.AuthenticationCleartextPassword;
import io.shardgate.proxy.protocol.backend.AuthenticationMD5Password;
import io.shardgate.proxy.protocol.backend.AuthenticationOk;
import io.shardgate.proxy.protocol.backend.AuthenticationSASL;
import io.shardgate.proxy.protocol.backend.AuthenticationSASLContinue;
import io.shardgate.proxy.protocol.backend.AuthenticationSASLFinal;
import io.shardgate.proxy.protocol.backend.BackendKeyData;
import io.shardgate.proxy.protocol.backend.BindComplete;
import io.shardgate.proxy.protocol.backend.CloseComplete;
import io.shardgate.proxy.protocol.backend.CommandComplete;
import io.shardgate.proxy.protocol.backend.CopyInResponse;
import io.shardgate.proxy.protocol.backend.CopyOutResponse;
import io.shardgate.proxy.protocol.backend.DataRow;
import io.shardgate.proxy.protocol.backend.EmptyQueryResponse;
import io.shardgate.proxy.protocol.backend.ErrorResponse;
import io.shardgate.proxy.protocol.backend.NoData;
import io.shardgate.proxy.protocol.backend.NoticeResponse;
import io.shardgate.proxy.protocol.backend.ParameterDescription;
import io.shardgate.proxy.protocol.backend.ParameterStatus;
import io.shardgate.proxy.protocol.backend.ParseComplete;
import io.shardgate.proxy.protocol.backend.PortalSuspended;
import io.shardgate.proxy.protocol.backend.ReadyForQuery;
import io.shardgate.proxy.protocol.backend.RowDescription;
import io.shardgate.proxy.protocol.backend.TransactionStatus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

import static io.shardgate.proxy.protocol.FrontendMessagesTest.bytes;
import static io.shardgate.proxy.protocol.FrontendMessagesTest.hex;
import static io.shardgate.proxy.protocol.FrontendMessagesTest.roundTrip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Exact bytes of every backend message and round trips through decode. */
class BackendMessagesTest {

    @Test
    void authentication() {
        assertArrayEquals(hex("52 00000008 00000000"), bytes(AuthenticationOk.INSTANCE));
        assertArrayEquals(hex("52 00000008 00000003"), bytes(AuthenticationCleartextPassword.INSTANCE));
        assertArrayEquals(hex("52 0000000c 00000005 01020304"), bytes(new AuthenticationMD5Password(new byte[] {1, 2, 3, 4})));
        AuthenticationSASL sasl = new AuthenticationSASL(List.of("SCRAM-SHA-256"));
        assertArrayEquals(hex("52 00000017 0000000a 534352414d2d5348412d32353600 00"), bytes(sasl));
        Function<ByteBuf, Authentication> dec = Authentication::decode;
        assertSame(AuthenticationOk.INSTANCE, roundTrip(AuthenticationOk.INSTANCE, dec));
        assertEquals(sasl, roundTrip(sasl, dec));
        assertEquals(new AuthenticationMD5Password(new byte[] {1, 2, 3, 4}),
                roundTrip(new AuthenticationMD5Password(new byte[] {1, 2, 3, 4}), dec));
        AuthenticationSASLContinue cont = new AuthenticationSASLContinue("r=x".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(hex("52 0000000b 0000000b 723d78"), bytes(cont));
        assertEquals(cont, roundTrip(cont, dec));
        AuthenticationSASLFinal fin = new AuthenticationSASLFinal("v=y".getBytes(StandardCharsets.UTF_8));
        assertEquals(fin, roundTrip(fin, dec));
        assertThrows(ProtocolException.class, () -> Authentication.decode(Unpooled.wrappedBuffer(hex("00000007"))));
    }

    @Test
    void statusMessages() {
        assertArrayEquals(hex("53 00000011 54696d655a6f6e6500 55544300"),
                bytes(new ParameterStatus("TimeZone", "UTC")));
        assertEquals(new ParameterStatus("a", "b"), roundTrip(new ParameterStatus("a", "b"), ParameterStatus::decode));
        assertArrayEquals(hex("4b 0000000c 00000001 00000002"), bytes(new BackendKeyData(1, 2)));
        assertEquals(new BackendKeyData(-1, 5), roundTrip(new BackendKeyData(-1, 5), BackendKeyData::decode));
        assertArrayEquals(hex("5a 00000005 49"), bytes(ReadyForQuery.IDLE));
        assertArrayEquals(hex("5a 00000005 54"), bytes(ReadyForQuery.IN_TRANSACTION));
        assertArrayEquals(hex("5a 00000005 45"), bytes(ReadyForQuery.FAILED));
        assertSame(ReadyForQuery.FAILED, roundTrip(ReadyForQuery.FAILED, ReadyForQuery::decode));
        assertEquals(TransactionStatus.UNKNOWN, TransactionStatus.of('x'));
        assertEquals(TransactionStatus.FAILED, TransactionStatus.IN_TRANSACTION.combine(TransactionStatus.FAILED));
        assertEquals(TransactionStatus.IN_TRANSACTION, TransactionStatus.IN_TRANSACTION.combine(TransactionStatus.IDLE));
    }

    @Test
    void fieldlessMessages() {
        assertArrayEquals(hex("31 00000004"), bytes(ParseComplete.INSTANCE));
        assertArrayEquals(hex("32 00000004"), bytes(BindComplete.INSTANCE));
        assertArrayEquals(hex("33 00000004"), bytes(CloseComplete.INSTANCE));
        assertArrayEquals(hex("6e 00000004"), bytes(NoData.INSTANCE));
        assertArrayEquals(hex("73 00000004"), bytes(PortalSuspended.INSTANCE));
        assertArrayEquals(hex("49 00000004"), bytes(EmptyQueryResponse.INSTANCE));
    }

    @Test
    void rowsAndCompletion() {
        RowDescription rd = new RowDescription(List.of(new RowDescription.Field("id", 16384, (short) 1, 20, (short) 8, -1, (short) 0)));
        assertArrayEquals(hex("54 0000001b 0001 696400 00004000 0001 00000014 0008 ffffffff 0000"), bytes(rd));
        assertEquals(rd, roundTrip(rd, RowDescription::decode));
        DataRow row = new DataRow(new byte[][] {"42".getBytes(StandardCharsets.UTF_8), null});
        assertArrayEquals(hex("44 00000010 0002 00000002 3432 ffffffff"), bytes(row));
        assertEquals(row, roundTrip(row, DataRow::decode));
        assertArrayEquals(hex("43 0000000d 53454c454354203300"), bytes(new CommandComplete("SELECT 3")));
        assertEquals(3, new CommandComplete("SELECT 3").rows());
        assertEquals("INSERT 0 7", new CommandComplete("INSERT 0 2").withRows(7).tag());
        assertEquals(-1, new CommandComplete("BEGIN").rows());
        assertArrayEquals(hex("74 0000000e 0002 00000017 00000019"), bytes(new ParameterDescription(List.of(23, 25))));
        assertEquals(new ParameterDescription(List.of(1)), roundTrip(new ParameterDescription(List.of(1)), ParameterDescription::decode));
    }

    @Test
    void errorsAndNotices() {
        ErrorResponse e = ErrorResponse.of("08P01", "bad");
        assertArrayEquals(hex("45 0000001f 534552524f5200564552524f5200433038503031004d6261640000"), bytes(e));
        ErrorResponse back = roundTrip(e, ErrorResponse::decode);
        assertEquals("08P01", back.sqlState());
        assertEquals("bad", back.message());
        NoticeResponse n = new NoticeResponse(e.fields());
        assertEquals(n, roundTrip(n, NoticeResponse::decode));
        assertEquals('N', bytes(n)[0]);
    }

    @Test
    void copyResponses() {
        assertArrayEquals(hex("47 0000000b 00 0002 0000 0000"), bytes(new CopyInResponse(0, List.of(0, 0))));
        assertEquals(new CopyOutResponse(1, List.of(1)), roundTrip(new CopyOutResponse(1, List.of(1)), CopyOutResponse::decode));
    }
}
