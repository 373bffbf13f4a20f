package dev.falgate.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The real SAM CLI and podman as the SAM tests use them: the project's own scripts install them
 * (sam/bin), every command runs with the environment sam/bin/common.sh sets (telemetry off,
 * the embedded stack's dummy credentials, a region) and, on machines without Docker, podman's
 * Docker-compatible API on a socket these tests start and stop.
 */
final class SamTools {
    /** Tells a container the host's loopback under Docker Desktop's name (podman's slirp4netns gateway). */
    static final String ADD_HOST = "host.docker.internal:10.0.2.2";
    /** What a fresh clone leaves out of a build: none of it is source. */
    private static final Set<String> NOT_SOURCE = Set.of(".git", "target", "node_modules", ".falgate", ".aws-sam");

    record Result(int exit, String stdout, String stderr, Duration took) {
        String both() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    private SamTools() {
    }

    static Path repoRoot() {
        return TestStack.repoRoot();
    }

    static Path venvSam() {
        return repoRoot().resolve("sam/target/sam-venv/bin/sam");
    }

    static Map<String, String> environment(Path podmanSocket) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SAM_CLI_TELEMETRY", "0");
        env.put("SAM_CLI_DISABLE_UPDATE_CHECK", "1");
        env.put("DO_NOT_TRACK", "1");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "falgatelocal");
        env.put("AWS_SECRET_ACCESS_KEY", "falgate-local-secret");
        env.remove("AWS_SESSION_TOKEN");
        env.put("CONTAINERS_CONF", repoRoot().resolve("sam/podman/containers.conf").toString());
        env.put("DOCKER_HOST", "unix://" + podmanSocket);
        // containers in slirp4netns, the host's loopback as 10.0.2.2 (sam/podman/falgate_container_network.py)
        env.put("FALGATE_CONTAINER_NETWORK", "slirp4netns:allow_host_loopback=true");
        return env;
    }

    /** Runs a command to its end within {@code within}; stdout and stderr apart (sam prints the payload on stdout). */
    static Result run(Path dir, Duration within, Map<String, String> env, List<String> command) {
        long started = System.nanoTime();
        try {
            Path out = Files.createTempFile("sam-out", ".txt");
            Path err = Files.createTempFile("sam-err", ".txt");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                pb.environment().remove("AWS_SESSION_TOKEN");
                pb.environment().putAll(env);
                Process p = pb.start();
                p.getOutputStream().close();
                if (!p.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError(command + " did not finish within " + within + "\n--- stdout\n"
                            + Files.readString(out) + "\n--- stderr\n" + Files.readString(err));
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8), Duration.ofNanos(System.nanoTime() - started));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Like {@link #run}, failing the test with both outputs unless the command exits 0. */
    static Result runOk(Path dir, Duration within, Map<String, String> env, List<String> command) {
        Result r = run(dir, within, env, command);
        if (r.exit() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + r.both());
        }
        return r;
    }

    /** A long-running command (start-api), its output into {@code log}. */
    static Process start(Path dir, Map<String, String> env, Path log, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().remove("AWS_SESSION_TOKEN");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        return p;
    }

    /** Stops what {@link #start} started: SIGTERM lets SAM remove its containers. */
    static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The repository's sources as a fresh clone has them (no build output, no node_modules, no venvs). */
    static void copySources(Path from, Path to) {
        try {
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (!dir.equals(from) && NOT_SOURCE.contains(dir.getFileName().toString())) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.COPY_ATTRIBUTES);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** podman's Docker-compatible API on {@code socket}, until closed. */
    static final class PodmanService implements AutoCloseable {
        private final Process process;
        final Path socket;

        PodmanService(Path socket, Map<String, String> env, Duration within) throws IOException {
            this.socket = socket;
            ProcessBuilder pb = new ProcessBuilder("podman", "system", "service", "--time=0", "unix://" + socket)
                    .redirectErrorStream(true)
                    .redirectOutput(repoRoot().resolve("local/target/podman-service.log").toFile());
            pb.environment().putAll(env);
            process = pb.start();
            long deadline = System.nanoTime() + within.toNanos();
            while (!answers()) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    close();
                    throw new AssertionError("podman's API did not answer on " + socket
                            + " (local/target/podman-service.log)");
                }
                Api.pause(Duration.ofMillis(100));
            }
        }

        private boolean answers() {
            List<String> ping = new ArrayList<>(List.of("curl", "-sf", "--unix-socket", socket.toString(), "http://d/_ping"));
            return Files.exists(socket) && run(repoRoot(), Duration.ofSeconds(10), Map.of(), ping).exit() == 0;
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
