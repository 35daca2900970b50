package io.shardgate.config;

import java.time.Duration;

/**
 * Read/write splitting. {@code readYourWrites} is how long reads of a table go to the primary after a write
 * to it (zero turns it off); {@code maxReplicaLag} is the lag over which a replica is skipped.
 */
public record ReadWriteConfig(Balancer balancer, Duration maxReplicaLag, Duration readYourWrites,
                              Duration healthCheckInterval, boolean replicaReads) {
    public static final ReadWriteConfig DEFAULT = new ReadWriteConfig(Balancer.ROUND_ROBIN, Duration.ofSeconds(2),
            Duration.ofMillis(500), Duration.ofSeconds(1), true);

    public enum Balancer {
        ROUND_ROBIN("round-robin"), LEAST_CONNECTIONS("least-connections"), WEIGHTED("weighted"), RANDOM("random");

        private final String configName;

        Balancer(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }
    }
}
