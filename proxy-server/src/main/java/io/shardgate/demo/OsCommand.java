package io.shardgate.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command of the PostgreSQL (or MariaDB) server tools and captures its output: for the demo's embedded
 * clusters and the integration tests' fixture clusters. PostgreSQL refuses to run as root, so a command can be run as
 * another OS user ({@code runuser -u USER --}) when this JVM runs as root.
 */
public final class OsCommand {
    private OsCommand() {
    }

    /** A finished command: exit code (-1 when it timed out or could not start) and stdout+stderr. */
    public record Result(int exitCode, String output) {
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * Runs {@code command} in {@code workDir} (null: the current directory), as {@code osUser} when this JVM runs as
     * root and {@code osUser} is another user (null: as ourselves); gives up after {@code timeout}. Runs with
     * {@code LC_ALL=C} and without the PG* variables that would redirect PostgreSQL's tools.
     */
    public static Result run(Path workDir, String osUser, Duration timeout, List<String> command) {
        List<String> cmd = new ArrayList<>();
        if (osUser != null && isRoot() && !osUser.equals("root")) {
            cmd.addAll(List.of("runuser", "-u", osUser, "--"));
        }
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        pb.environment().put("LC_ALL", "C");
        for (String v : List.of("PGDATA", "PGPORT", "PGHOST", "PGUSER", "PGDATABASE", "PGPASSWORD")) {
            pb.environment().remove(v);
        }
        Path out = null;
        try {
            // a file, not a pipe: pg_ctl start leaves the server holding its stdout
            out = Files.createTempFile("shardgate-cmd", ".out");
            pb.redirectOutput(out.toFile());
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                return new Result(-1, "timed out after " + timeout.toSeconds() + "s: " + cmd + "\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, "cannot run " + cmd + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted running " + cmd);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temp file left behind
                }
            }
        }
    }
}
