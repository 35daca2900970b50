package io.shardgate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code shardgate} command line. Each subcommand is a thin caller of one class that does the work. */
@Command(name = "shardgate", mixinStandardHelpOptions = true, versionProvider = ShardgateCli.Version.class,
        description = "Shard-aware SQL middleware for PostgreSQL and MySQL/MariaDB.",
        subcommands = {CheckConfigCommand.class, ExplainCommand.class, ProxyCommand.class, DemoCommand.class})
public final class ShardgateCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        productionNettyDefaults();
        System.exit(run(args));
    }

    /**
     * Netty samples one buffer in 128 for leak tracking by default, and each sample records a stack trace: on the
     * proxy's hot path that is several percent of its CPU. The product runs without it; the tests, which start the
     * proxy in their own JVM, keep Netty's default, and {@code -Dio.netty.leakDetection.level=...} still wins.
     */
    private static void productionNettyDefaults() {
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
        }
    }

    public static int run(String... args) {
        return new CommandLine(new ShardgateCli()).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ShardgateCli.class.getPackage().getImplementationVersion();
            return new String[]{"shardgate " + (v == null ? "development build" : v)};
        }
    }
}
