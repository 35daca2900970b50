package io.shardgate.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The demo's PostgreSQL servers: {@code shards} shards ({@code s0}, {@code s1}, ...), each a primary and one real
 * streaming replica, on free ports of 127.0.0.1, in a temporary directory (or the one given), all removed by
 * {@link #close()} unless asked to keep them.
 *
 * <p>A replica is made without pg_basebackup (zonky's bundle holds only initdb, pg_ctl and postgres): right after
 * initdb the primary's data directory is a cleanly shut-down cluster, so it is copied as it is, and the copy gets
 * {@code standby.signal}, {@code primary_conninfo} and a physical replication slot. Started, it replays from the
 * initdb checkpoint and streams everything the primary does from then on (the role and database {@code demo}
 * included), exactly as a base backup would.
 *
 * <p>Every server has a superuser {@value #SUPERUSER} (trust from 127.0.0.1 only, for setup and checks) and the
 * login role {@value #USER} / {@value #PASSWORD} (SCRAM-SHA-256), owner of the database {@value #DATABASE}. The
 * servers run with demo settings (fsync off): fast, and not for data you want to keep.
 */
public final class DemoClusters implements AutoCloseable {
    public static final String SUPERUSER = "postgres";
    public static final String DATABASE = "demo";
    public static final String USER = "demo";
    public static final String PASSWORD = "demo";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STREAM_TIMEOUT = Duration.ofSeconds(60);

    /** One PostgreSQL server of the demo. */
    public static final class Server {
        private final String shard;
        private final boolean primary;
        private final Path dataDir;
        private final Path log;
        private volatile int port;
        private volatile boolean running;

        Server(String shard, boolean primary, Path shardDir) {
            this.shard = shard;
            this.primary = primary;
            this.dataDir = shardDir.resolve(primary ? "primary" : "replica");
            this.log = shardDir.resolve((primary ? "primary" : "replica") + ".log");
        }

        public String shard() {
            return shard;
        }

        public boolean primary() {
            return primary;
        }

        /** The name this server has in the shardgate configuration: {@code s0-primary}, {@code s0-replica}. */
        public String name() {
            return shard + (primary ? "-primary" : "-replica");
        }

        public int port() {
            return port;
        }

        public Path dataDir() {
            return dataDir;
        }

        public Path log() {
            return log;
        }

        public String jdbcUrl(String database) {
            return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
        }

        /** A connection as the superuser (trust from 127.0.0.1), for setup and checks. */
        public Connection connectAsSuperuser(String database) throws SQLException {
            Properties p = new Properties();
            p.setProperty("user", SUPERUSER);
            p.setProperty("connectTimeout", "5");
            return DriverManager.getConnection(jdbcUrl(database), p);
        }

        /** A connection as {@value #USER} / {@value #PASSWORD} to the database {@value #DATABASE}. */
        public Connection connectAsDemo() throws SQLException {
            return DriverManager.getConnection(jdbcUrl(DATABASE), USER, PASSWORD);
        }

        @Override
        public String toString() {
            return name() + "@127.0.0.1:" + port;
        }
    }

    /** A primary and its streaming replica. */
    public record Shard(String name, Server primary, Server replica) {
    }

    /** What to start. */
    public record Options(int shards, Path dataDir, boolean keep, PgBinaries.Source source, PrintStream progress) {
        public static Options defaults() {
            return new Options(2, null, false, PgBinaries.Source.AUTO, null);
        }

        public Options withDataDir(Path dir) {
            return new Options(shards, dir, keep, source, progress);
        }

        public Options withKeep(boolean k) {
            return new Options(shards, dataDir, k, source, progress);
        }

        public Options withSource(PgBinaries.Source s) {
            return new Options(shards, dataDir, keep, s, progress);
        }

        public Options withProgress(PrintStream p) {
            return new Options(shards, dataDir, keep, source, p);
        }
    }

    private final Options options;
    private final PgBinaries binaries;
    private final Path baseDir;
    private final boolean createdBaseDir;
    private final List<Shard> shards = new ArrayList<>();
    private volatile boolean closed;
    /** The servers were restarted from a kept data directory (the data was loaded by an earlier run). */
    private volatile boolean resumed;
    private volatile boolean started;

    private DemoClusters(Options options, PgBinaries binaries, Path baseDir, boolean createdBaseDir) {
        this.options = options;
        this.binaries = binaries;
        this.baseDir = baseDir;
        this.createdBaseDir = createdBaseDir;
    }

    /**
     * Starts every shard (in parallel) and returns once each replica streams from its primary and the role and
     * database {@value #DATABASE} exist. On failure everything started is stopped and removed (unless keep), and the
     * exception carries the tail of the relevant server log.
     */
    public static DemoClusters start(Options options) {
        PgBinaries binaries = PgBinaries.find(options.source());
        Path base;
        boolean created;
        try {
            if (options.dataDir() == null) {
                base = Files.createTempDirectory("shardgate-demo");
                created = true;
            } else {
                base = options.dataDir().toAbsolutePath().normalize();
                created = !Files.exists(base);
                Files.createDirectories(base);
            }
            // the servers may run as another OS user: they must be able to reach their directories
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the demo data directory", e);
        }
        DemoClusters c = new DemoClusters(options, binaries, base, created);
        c.progress("PostgreSQL: " + binaries.description());
        c.progress("data directory: " + base);
        // Ctrl-C while starting: stop what is already running (the caller's own hook takes over once this returns)
        Thread startupHook = new Thread(c::closeQuietly, "shardgate-demo-startup-stop");
        Runtime.getRuntime().addShutdownHook(startupHook);
        try {
            int existing = 0;
            for (int i = 0; i < options.shards(); i++) {
                String name = "s" + i;
                Path dir = base.resolve(name);
                Shard s = new Shard(name, new Server(name, true, dir), new Server(name, false, dir));
                if (Files.exists(s.primary().dataDir().resolve("PG_VERSION"))
                        && Files.exists(s.replica().dataDir().resolve("standby.signal"))) {
                    existing++;
                } else if (Files.exists(dir)) {
                    throw new IllegalStateException(dir + " exists but holds no demo shard; remove it or choose "
                            + "another --data-dir");
                }
                c.shards.add(s);
            }
            if (existing != 0 && existing != options.shards()) {
                c.shards.clear(); // nothing of ours to stop or remove
                throw new IllegalStateException(base + " holds " + existing + " of the " + options.shards()
                        + " demo shards; remove it or choose another --data-dir");
            }
            c.resumed = existing > 0;
            if (c.resumed) {
                c.progress("resuming the demo kept in " + base + " (its data stays as it was)");
            }
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, options.shards()));
            try {
                List<Future<?>> started = new ArrayList<>();
                for (Shard s : c.shards) {
                    started.add(pool.submit(() -> {
                        if (c.resumed) {
                            c.resumeShard(s);
                        } else {
                            c.startShard(s);
                        }
                    }));
                }
                for (Future<?> f : started) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(startupHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
            c.started = true;
            return c;
        } catch (ExecutionException e) {
            c.closeQuietly();
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.closeQuietly();
            throw new IllegalStateException("interrupted while starting the demo clusters", e);
        } catch (RuntimeException e) {
            c.closeQuietly();
            throw e;
        }
    }

    private void startShard(Shard s) {
        long t0 = System.nanoTime();
        Path dir = s.primary().dataDir().getParent();
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        binaries.own(dir);
        Server p = s.primary();
        Server r = s.replica();
        OsCommand.Result init = binaries.run(dir, Duration.ofSeconds(120), "initdb", "-D", p.dataDir().toString(),
                "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync");
        if (init.exitCode() != 0) {
            throw new IllegalStateException("initdb for " + p.name() + " failed:\n" + init.output());
        }
        append(p.dataDir().resolve("postgresql.conf"), String.join("\n", "",
                "# ---- shardgate demo (not for production: fsync is off) ----",
                "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = ''",
                "max_connections = 100",
                "shared_buffers = 32MB",
                "password_encryption = 'scram-sha-256'",
                "wal_level = replica",
                "max_wal_senders = 10",
                "max_replication_slots = 10",
                "wal_keep_size = '256MB'",
                "hot_standby = on",
                "hot_standby_feedback = on",
                "wal_receiver_status_interval = 1s",
                "fsync = off",
                "full_page_writes = off",
                "logging_collector = off",
                "log_line_prefix = '%m [%p] %q%u@%d '",
                ""));
        write(p.dataDir().resolve("pg_hba.conf"), String.join("\n",
                "# shardgate demo: the superuser only from this machine (setup, replication); everyone else by password",
                "host replication " + SUPERUSER + " 127.0.0.1/32 trust",
                "host all " + SUPERUSER + " 127.0.0.1/32 trust",
                "host all all 127.0.0.1/32 scram-sha-256",
                "host all all ::1/128 scram-sha-256",
                ""));
        // initdb left a cleanly shut-down cluster: its copy is a valid base backup
        copyTree(p.dataDir(), r.dataDir());
        binaries.own(r.dataDir());
        String slot = s.name() + "_replica";
        append(r.dataDir().resolve("postgresql.conf"), String.join("\n", "",
                "# ---- streaming replica of " + p.name() + " ----",
                "primary_slot_name = '" + slot + "'",
                ""));
        write(r.dataDir().resolve("standby.signal"), "");

        startServer(p);
        try (Connection c = p.connectAsSuperuser("postgres"); Statement st = c.createStatement()) {
            st.execute("select pg_create_physical_replication_slot('" + slot + "', true)");
        } catch (SQLException e) {
            throw new IllegalStateException("creating the replication slot on " + p.name() + ": " + e.getMessage(), e);
        }
        // the primary's port is known only now
        append(r.dataDir().resolve("postgresql.conf"), "primary_conninfo = 'host=127.0.0.1 port=" + p.port()
                + " user=" + SUPERUSER + " application_name=" + r.name() + "'\n");
        startServer(r);
        awaitStreaming(s);
        try (Connection c = p.connectAsSuperuser("postgres"); Statement st = c.createStatement()) {
            st.execute("create role " + USER + " login password '" + PASSWORD + "'");
            st.execute("create database " + DATABASE + " owner " + USER);
        } catch (SQLException e) {
            throw new IllegalStateException("creating role and database " + DATABASE + " on " + p.name() + ": "
                    + e.getMessage(), e);
        }
        progress(String.format("shard %s: primary 127.0.0.1:%d, streaming replica 127.0.0.1:%d (%d ms)", s.name(),
                p.port(), r.port(), (System.nanoTime() - t0) / 1_000_000));
    }

    /** Starts the servers of a kept shard again, on their old ports when those are free. */
    private void resumeShard(Shard s) {
        long t0 = System.nanoTime();
        Server p = s.primary();
        Server r = s.replica();
        String made = read(p.dataDir().resolve("PG_VERSION")).trim();
        String major = binaries.version().replaceFirst("^(\\d+).*", "$1");
        if (!made.equals(major)) {
            throw new IllegalStateException(p.dataDir() + " was made by PostgreSQL " + made + "; these binaries are "
                    + binaries.version() + " (choose the other ones with --postgres local|embedded)");
        }
        for (Server n : List.of(r, p)) {
            if (Files.exists(n.dataDir().resolve("postmaster.pid"))) {
                // left running by a run that was killed: stop it, then start it as ours
                binaries.run(n.dataDir().getParent(), Duration.ofSeconds(40), "pg_ctl", "-D", n.dataDir().toString(),
                        "-m", "fast", "-w", "-t", "30", "stop");
            }
        }
        startServer(p);
        append(r.dataDir().resolve("postgresql.conf"), "primary_conninfo = 'host=127.0.0.1 port=" + p.port()
                + " user=" + SUPERUSER + " application_name=" + r.name() + "'\n");
        startServer(r);
        awaitStreaming(s);
        progress(String.format("shard %s: primary 127.0.0.1:%d, streaming replica 127.0.0.1:%d (%d ms, resumed)",
                s.name(), p.port(), r.port(), (System.nanoTime() - t0) / 1_000_000));
    }

    /** The last {@code port = N} of a data directory's postgresql.conf, or 0. */
    private static int configuredPort(Path dataDir) {
        Path conf = dataDir.resolve("postgresql.conf");
        if (!Files.exists(conf)) {
            return 0;
        }
        int port = 0;
        for (String line : read(conf).split("\n")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^port = (\\d+)").matcher(line);
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
            }
        }
        return port;
    }

    /**
     * Starts a server on its configured port when one is set and free (a resumed demo keeps its ports), else on a
     * free port, trying another one when the chosen port was taken meanwhile.
     */
    private void startServer(Server n) {
        if (closed) {
            throw new IllegalStateException("the demo clusters are being stopped");
        }
        String last = "";
        int previous = configuredPort(n.dataDir());
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = attempt == 0 && previous != 0 && portFree(previous) ? previous : freePort();
            append(n.dataDir().resolve("postgresql.conf"), "port = " + port + "\n");
            OsCommand.Result r = binaries.run(n.dataDir().getParent(), START_TIMEOUT.plusSeconds(10), "pg_ctl",
                    "-D", n.dataDir().toString(), "-l", n.log().toString(), "-w", "-t",
                    String.valueOf(START_TIMEOUT.toSeconds()), "start");
            if (r.exitCode() == 0) {
                n.port = port;
                n.running = true;
                return;
            }
            last = r.output() + "\n" + tail(n.log(), 30);
            binaries.run(n.dataDir().getParent(), Duration.ofSeconds(30), "pg_ctl", "-D", n.dataDir().toString(),
                    "-m", "immediate", "-w", "stop");
            if (!(last.contains("could not bind") || last.contains("Address already in use")
                    || last.contains("could not create any TCP/IP sockets"))) {
                break;
            }
        }
        throw new IllegalStateException("could not start PostgreSQL " + n.name() + " in " + n.dataDir() + ":\n" + last);
    }

    private void awaitStreaming(Shard s) {
        Server p = s.primary();
        Server r = s.replica();
        boolean ok = await(STREAM_TIMEOUT, () -> {
            try (Connection c = p.connectAsSuperuser("postgres");
                 PreparedStatement ps = c.prepareStatement("select count(*) from pg_stat_replication "
                         + "where application_name = ? and state = 'streaming'")) {
                ps.setString(1, r.name());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) == 0) {
                        return false;
                    }
                }
            } catch (SQLException e) {
                return false;
            }
            return inRecovery(r);
        });
        if (!ok) {
            throw new IllegalStateException("replica " + r.name() + " not streaming after " + STREAM_TIMEOUT.toSeconds()
                    + "s\n" + tail(r.log(), 30) + "\n" + tail(p.log(), 15));
        }
    }

    /** {@code pg_is_in_recovery()} of a server (false when it cannot be asked). */
    public static boolean inRecovery(Server s) {
        try (Connection c = s.connectAsSuperuser("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Waits until every replica has replayed all WAL its primary had written when this was called. */
    public void awaitReplicasCaughtUp(Duration timeout) {
        for (Shard s : shards) {
            String target;
            try (Connection c = s.primary().connectAsSuperuser("postgres"); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select pg_current_wal_lsn()::text")) {
                rs.next();
                target = rs.getString(1);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the WAL position of " + s.primary().name(), e);
            }
            boolean ok = await(timeout, () -> {
                try (Connection c = s.replica().connectAsSuperuser("postgres");
                     PreparedStatement ps = c.prepareStatement("select pg_last_wal_replay_lsn() >= ?::pg_lsn")) {
                    ps.setString(1, target);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getBoolean(1);
                    }
                } catch (SQLException e) {
                    return false;
                }
            });
            if (!ok) {
                throw new IllegalStateException("replica " + s.replica().name() + " did not replay up to " + target
                        + " within " + timeout.toSeconds() + "s\n" + tail(s.replica().log(), 20));
            }
        }
    }

    public List<Shard> shards() {
        return List.copyOf(shards);
    }

    public Shard shard(String name) {
        return shards.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no demo shard " + name));
    }

    /** Every server, primaries and replicas. */
    public List<Server> servers() {
        List<Server> all = new ArrayList<>();
        for (Shard s : shards) {
            all.add(s.primary());
            all.add(s.replica());
        }
        return all;
    }

    /** The directory holding every server's data directory and log. */
    public Path baseDir() {
        return baseDir;
    }

    /** Where the demo's shardgate configuration goes: {@code shardgate-demo.yaml} in {@link #baseDir()}. */
    public Path configFile() {
        return baseDir.resolve("shardgate-demo.yaml");
    }

    public PgBinaries binaries() {
        return binaries;
    }

    /** Were the servers restarted from a kept data directory, whose data an earlier run loaded? */
    public boolean resumed() {
        return resumed;
    }

    public boolean keep() {
        return options.keep();
    }

    /** Stops every server (replicas first) and removes the data unless keep. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        for (Shard s : shards) {
            try {
                stopServer(s.replica());
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        for (Shard s : shards) {
            try {
                stopServer(s.primary());
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        // a kept demo that failed to resume is left as it was
        if (!options.keep() && failure == null && !(resumed && !started)) {
            if (createdBaseDir) {
                deleteTree(baseDir);
            } else {
                for (Shard s : shards) {
                    deleteTree(s.primary().dataDir().getParent());
                }
                try {
                    Files.deleteIfExists(configFile());
                    try (Stream<Path> left = Files.list(baseDir)) {
                        if (left.findAny().isEmpty()) {
                            Files.delete(baseDir);
                        }
                    }
                } catch (IOException e) {
                    failure = new UncheckedIOException("cleaning " + baseDir, e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            progress("while stopping after a failure: " + e.getMessage());
        }
    }

    private void stopServer(Server n) {
        if (!Files.exists(n.dataDir().resolve("postmaster.pid"))) {
            n.running = false;
            return;
        }
        OsCommand.Result r = binaries.run(n.dataDir().getParent(), Duration.ofSeconds(40), "pg_ctl", "-D",
                n.dataDir().toString(), "-m", "fast", "-w", "-t", "30", "stop");
        if (r.exitCode() != 0) {
            r = binaries.run(n.dataDir().getParent(), Duration.ofSeconds(40), "pg_ctl", "-D", n.dataDir().toString(),
                    "-m", "immediate", "-w", "-t", "30", "stop");
        }
        if (r.exitCode() != 0 && Files.exists(n.dataDir().resolve("postmaster.pid"))) {
            throw new IllegalStateException("could not stop " + n.name() + ": " + r.output());
        }
        n.running = false;
    }

    private void progress(String line) {
        if (options.progress() != null) {
            options.progress().println("[demo] " + line);
        }
    }

    // ------------------------------------------------------------------ small helpers

    static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Could a server bind 127.0.0.1:port (with SO_REUSEADDR, as PostgreSQL does)? */
    static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean await(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        binaries.own(file);
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path src : (Iterable<Path>) all::iterator) {
                Path dst = to.resolve(from.relativize(src).toString());
                if (Files.isDirectory(src)) {
                    Files.createDirectories(dst);
                    Files.setPosixFilePermissions(dst, Files.getPosixFilePermissions(src));
                } else {
                    Files.copy(src, dst, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("copying " + from + " to " + to, e);
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return "--- " + file + " (last lines) ---\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log " + file + ")";
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    if (exc instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw exc;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root, e);
        }
    }
}
