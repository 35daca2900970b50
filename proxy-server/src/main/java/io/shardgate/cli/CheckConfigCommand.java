package io.shardgate.cli;

import io.shardgate.config.ConfigException;
import io.shardgate.config.ConfigLoader;
import io.shardgate.config.DatabaseConfig;
import io.shardgate.config.RuleConfig;
import io.shardgate.config.ShardConfig;
import io.shardgate.config.ShardgateConfig;
import io.shardgate.config.TableConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code shardgate check-config FILE}: every problem of the file, or a summary of what it declares. */
@Command(name = "check-config", description = "Validate a configuration file: print every problem (exit 1) or a summary.")
final class CheckConfigCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "the shardgate YAML configuration")
    Path file;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        ShardgateConfig config;
        try {
            config = ConfigLoader.load(file);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        out.println(file + ": OK (" + config.dialect().name().toLowerCase() + ")");
        out.println("databases:");
        for (DatabaseConfig db : config.databases().values()) {
            out.println("  " + db.name() + "  " + db.url() + "  user=" + db.user() + "  pool max "
                    + db.pool().maximumPoolSize());
        }
        out.println("shards:");
        for (ShardConfig s : config.shards().values()) {
            out.println("  " + s.name() + "  primary " + s.primary()
                    + (s.replicas().isEmpty() ? "  (no replicas)" : "  replicas " + String.join(", ", s.replicas()))
                    + (s.name().equals(config.defaultShard()) ? "  [default shard]" : ""));
        }
        out.println("rules:");
        for (RuleConfig r : config.rules().values()) {
            out.println("  " + r.name() + "  " + describe(r));
        }
        out.println("tables:");
        for (TableConfig t : config.tables().values()) {
            String placement = t.sharded() ? "sharded by " + t.rule() + " on " + t.key()
                    : t.reference() ? "reference (copied to every shard)" : "on shard " + t.shard();
            out.println("  " + t.name() + "  " + placement
                    + (t.generatedKey() != null ? "  generated key " + t.generatedKey() : ""));
        }
        out.println("  (any other table lives on the default shard " + config.defaultShard() + ")");
        out.println("read-write: balancer " + config.readWrite().balancer().configName() + ", max replica lag "
                + config.readWrite().maxReplicaLag().toMillis() + "ms, read-your-writes "
                + config.readWrite().readYourWrites().toMillis() + "ms"
                + (config.allowScatterWrites() ? ", scatter writes allowed" : ""));
        var p = config.proxy();
        out.println("proxy: listen " + p.listenHost() + ":" + p.listenPort() + ", " + p.poolMode().configName()
                + " pooling, auth " + p.auth().configName() + ", users " + p.users().keySet()
                + (p.tls() ? ", TLS" : ""));
        return 0;
    }

    private static String describe(RuleConfig r) {
        if (r instanceof RuleConfig.Hash h) {
            StringBuilder sb = new StringBuilder("hash over ").append(h.shards()).append(", token ranges:");
            for (RuleConfig.TokenRange t : h.ranges()) {
                sb.append(" [").append(t.from()).append(", ").append(t.toExclusive() == null ? "end" : t.toExclusive())
                        .append(")->").append(t.shard());
            }
            return sb.toString();
        }
        if (r instanceof RuleConfig.Range rr) {
            StringBuilder sb = new StringBuilder("range (" + rr.keyType().name().toLowerCase() + "):");
            for (RuleConfig.KeyRange k : rr.ranges()) {
                sb.append(" [").append(k.from() == null ? "-inf" : k.from()).append(", ")
                        .append(k.to() == null ? "+inf" : k.to()).append(")->").append(k.shard());
            }
            return sb.toString();
        }
        RuleConfig.Directory d = (RuleConfig.Directory) r;
        return "directory in " + d.database() + "." + d.table() + ", new keys placed " + d.placement().configName()
                + " over " + d.shards();
    }
}
