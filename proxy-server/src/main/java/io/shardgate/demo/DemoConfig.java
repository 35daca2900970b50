package io.shardgate.demo;

import io.shardgate.config.ConfigLoader;
import io.shardgate.config.ShardgateConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shardgate configuration of the demo clusters: users and orders hashed on the user id (rule {@code by-user},
 * two equal token ranges s0, s1, so the tables are co-located), countries a reference table. The committed example
 * {@code conf/demo.yaml} has the same shape with the ports as {@code ${DEMO_S0_PRIMARY_PORT:-...}} placeholders.
 */
public final class DemoConfig {
    public static final String RULE = "by-user";

    private DemoConfig() {
    }

    /**
     * The configuration text for servers named {@code s0-primary}, {@code s0-replica}, ... on these ports, with the
     * proxy on 127.0.0.1:{@code proxyPort} (users demo/demo and admin/admin;
     * admin is an admin user of the console on the database {@code shardgate}).
     */
    public static String yaml(Map<String, Integer> portsByServer, int proxyPort) {
        Map<String, String> ports = new LinkedHashMap<>();
        portsByServer.forEach((k, v) -> ports.put(k, String.valueOf(v)));
        return render(ports, String.valueOf(proxyPort),
                "# Written by `shardgate demo` for the PostgreSQL servers it started.\n");
    }

    /** The configuration of running demo clusters. */
    public static String yaml(DemoClusters clusters, int proxyPort) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (DemoClusters.Server s : clusters.servers()) {
            ports.put(s.name(), s.port());
        }
        return yaml(ports, proxyPort);
    }

    /** Writes {@link #yaml(DemoClusters, int)} to {@code file}, checks that it loads, and returns it loaded. */
    public static ShardgateConfig write(DemoClusters clusters, int proxyPort, Path file) {
        String text = yaml(clusters, proxyPort);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return ConfigLoader.load(file);
    }

    /** Parses a configuration text as the proxy and the driver will (no environment). */
    public static ShardgateConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, "demo configuration", name -> null);
    }

    /** The text of {@code conf/demo.yaml}: the same file with environment placeholders for the ports. */
    static String template(int shards) {
        Map<String, String> ports = new LinkedHashMap<>();
        int base = 54320;
        for (int i = 0; i < shards; i++) {
            ports.put("s" + i + "-primary", "${DEMO_S" + i + "_PRIMARY_PORT:-" + (base + 2 * i) + "}");
            ports.put("s" + i + "-replica", "${DEMO_S" + i + "_REPLICA_PORT:-" + (base + 2 * i + 1) + "}");
        }
        return render(ports, "${DEMO_PORT:-6432}", "");
    }

    private static String render(Map<String, String> ports, String proxyPort, String header) {
        StringBuilder y = new StringBuilder(header);
        y.append("# The demo: users and orders sharded by user id over two shards, countries copied to every shard.\n");
        y.append("# Every key is described in docs/configuration.md.\n");
        y.append("databases:\n");
        ports.forEach((name, port) -> y.append("  ").append(name).append(": { url: \"jdbc:postgresql://127.0.0.1:")
                .append(port).append('/').append(DemoClusters.DATABASE).append("\", user: ")
                .append(DemoClusters.USER).append(", password: ").append(DemoClusters.PASSWORD).append(" }\n"));
        y.append("shards:\n");
        StringBuilder shardList = new StringBuilder();
        ports.keySet().stream().filter(n -> n.endsWith("-primary")).forEach(p -> {
            String shard = p.substring(0, p.length() - "-primary".length());
            y.append("  ").append(shard).append(": { primary: ").append(p);
            if (ports.containsKey(shard + "-replica")) {
                y.append(", replicas: [").append(shard).append("-replica]");
            }
            y.append(" }\n");
            shardList.append(shardList.length() == 0 ? "" : ", ").append(shard);
        });
        y.append("rules:\n");
        y.append("  ").append(RULE).append(": { type: hash, shards: [").append(shardList)
                .append("] }   # equal token ranges, in this order\n");
        y.append("tables:\n");
        y.append("  users:     { rule: ").append(RULE).append(", key: id }\n");
        y.append("  orders:    { rule: ").append(RULE).append(", key: user_id }   # co-located with users\n");
        y.append("  countries: { reference: true }                # a full copy on every shard\n");
        y.append("default-shard: s0\n");
        y.append("read-write: { balancer: round-robin, max-replica-lag: 2s, read-your-writes: 500ms }\n");
        y.append("pool: { maximum-size: 10, connection-timeout: 5s }\n");
        y.append("proxy:\n");
        y.append("  listen: \"127.0.0.1:").append(proxyPort).append("\"\n");
        y.append("  auth: scram-sha-256\n");
        y.append("  users: { ").append(DemoClusters.USER).append(": { password: ").append(DemoClusters.PASSWORD)
                .append(" }, admin: { password: admin } }\n");
        y.append("  admin-users: [admin]            # psql postgresql://admin:admin@HOST:PORT/shardgate -c 'SHOW SHARDS'\n");
        return y.toString();
    }
}
