package io.shardgate.proxy.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;
import io.shardgate.proxy.protocol.Wire;

/** ReadyForQuery ('Z') with the transaction status; one shared instance per status. */
public final class ReadyForQuery implements PgMessage {
    public static final ReadyForQuery IDLE = new ReadyForQuery(TransactionStatus.IDLE);
    public static final ReadyForQuery IN_TRANSACTION = new ReadyForQuery(TransactionStatus.IN_TRANSACTION);
    public static final ReadyForQuery FAILED = new ReadyForQuery(TransactionStatus.FAILED);

    private final TransactionStatus status;

    private ReadyForQuery(TransactionStatus status) {
        this.status = status;
    }

    public static ReadyForQuery of(TransactionStatus status) {
        return switch (status) {
            case IN_TRANSACTION -> IN_TRANSACTION;
            case FAILED -> FAILED;
            default -> IDLE;
        };
    }

    public TransactionStatus status() {
        return status;
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeByte('Z');
        out.writeInt(5);
        out.writeByte(status.wire());
    }

    public static ReadyForQuery decode(ByteBuf body) {
        Wire.need(body, 1, "ReadyForQuery");
        return of(TransactionStatus.of(body.readByte()));
    }

    @Override
    public String toString() {
        return "ReadyForQuery[" + status.wire() + "]";
    }
}
