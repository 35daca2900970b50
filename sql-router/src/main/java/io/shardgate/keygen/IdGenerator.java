package io.shardgate.keygen;

import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Instant;

/**
 * Cluster-unique, time-ordered 64-bit ids for generated key columns, in the Snowflake layout:
 * 41 bits of milliseconds since 2024-01-01T00:00:00Z (good until 2093), 10 bits of worker id, 12 bits of
 * sequence (4096 ids per millisecond per worker; the 4097th waits for the next millisecond).
 * The worker id mixes the process id with random bits so that two processes on one host, or two hosts, almost never
 * share one; set {@code SHARDGATE_WORKER_ID} (0-1023) to make it deterministic per instance.
 * A clock that steps back is absorbed by continuing from the last timestamp, never by reusing one.
 */
public final class IdGenerator {
    public static final long EPOCH_MILLIS = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    private static final int WORKER_BITS = 10;
    private static final int SEQUENCE_BITS = 12;
    private static final long MAX_SEQUENCE = (1L << SEQUENCE_BITS) - 1;

    private final long workerId;
    private long lastMillis = -1;
    private long sequence;

    public IdGenerator(long workerId) {
        if (workerId < 0 || workerId >= (1L << WORKER_BITS)) {
            throw new IllegalArgumentException("worker id must be between 0 and 1023, got " + workerId);
        }
        this.workerId = workerId;
    }

    public static IdGenerator forThisProcess() {
        String configured = System.getenv("SHARDGATE_WORKER_ID");
        if (configured != null && !configured.isBlank()) {
            return new IdGenerator(Long.parseLong(configured.trim()));
        }
        long pid = ManagementFactory.getRuntimeMXBean().getPid();
        long random = new SecureRandom().nextInt(1 << WORKER_BITS);
        return new IdGenerator((pid ^ random) & ((1L << WORKER_BITS) - 1));
    }

    public synchronized long next() {
        long now = Math.max(System.currentTimeMillis() - EPOCH_MILLIS, lastMillis);
        if (now == lastMillis) {
            sequence = (sequence + 1) & MAX_SEQUENCE;
            if (sequence == 0) {
                while (now <= lastMillis) {
                    Thread.onSpinWait();
                    now = System.currentTimeMillis() - EPOCH_MILLIS;
                }
            }
        } else {
            sequence = 0;
        }
        lastMillis = now;
        return (now << (WORKER_BITS + SEQUENCE_BITS)) | (workerId << SEQUENCE_BITS) | sequence;
    }

    public long workerId() {
        return workerId;
    }
}
