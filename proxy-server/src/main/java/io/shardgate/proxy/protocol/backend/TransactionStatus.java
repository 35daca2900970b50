package io.shardgate.proxy.protocol.backend;

/** The transaction status of ReadyForQuery, with its wire byte. */
public enum TransactionStatus {
    IDLE('I'), IN_TRANSACTION('T'), FAILED('E'), UNKNOWN('?');

    private final char wire;

    TransactionStatus(char wire) {
        this.wire = wire;
    }

    public char wire() {
        return wire;
    }

    public static TransactionStatus of(int b) {
        return switch (b) {
            case 'I' -> IDLE;
            case 'T' -> IN_TRANSACTION;
            case 'E' -> FAILED;
            default -> UNKNOWN;
        };
    }

    /** The status of a session spanning several backends: failed beats in-transaction beats idle. */
    public TransactionStatus combine(TransactionStatus other) {
        return other.ordinal() > ordinal() && other != UNKNOWN ? other : this;
    }
}
