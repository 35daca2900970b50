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
        System.exit(run(args));
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
