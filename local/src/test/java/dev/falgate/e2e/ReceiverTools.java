package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The partner-side tools the webhook tests run: Node with the pinned {@code standardwebhooks}
 * from npm ({@code local/src/test/js}, {@code npm ci} from its lock file) and Python with the
 * pinned one from PyPI in a venv of the project's own ({@code local/target/webhooks-venv}).
 * Missing tools fail the tests, with what to install; they never skip.
 */
final class ReceiverTools {
    static final Path JS_DIR = TestStack.repoRoot().resolve("local/src/test/js");
    static final Path REQUIREMENTS = TestStack.repoRoot().resolve("local/src/test/python/requirements.txt");
    static final Path VENV = TestStack.repoRoot().resolve("local/target/webhooks-venv");
    private static final Duration INSTALL = Duration.ofMinutes(3);

    private ReceiverTools() {
    }

    /** Node with the pinned standardwebhooks installed in {@link #JS_DIR}. */
    static synchronized void nodeReady() throws IOException, InterruptedException {
        String pinned = Api.JSON.readTree(JS_DIR.resolve("package.json").toFile()).at("/dependencies/standardwebhooks").asText();
        Path installed = JS_DIR.resolve("node_modules/standardwebhooks/package.json");
        if (Files.exists(installed) && Api.JSON.readTree(installed.toFile()).path("version").asText().equals(pinned)) {
            return;
        }
        assertThat(run(JS_DIR, Map.of(), INSTALL, "npm", "ci", "--no-audit", "--no-fund")).as("npm ci in " + JS_DIR).isZero();
    }

    /** The venv's python, the pinned requirements installed (again whenever they change). */
    static synchronized Path pythonReady() throws IOException, InterruptedException {
        Path python = VENV.resolve("bin/python");
        Path installedFrom = VENV.resolve("requirements.installed");
        String wanted = Files.readString(REQUIREMENTS);
        if (Files.exists(python) && Files.exists(installedFrom) && Files.readString(installedFrom).equals(wanted)) {
            return python;
        }
        Path root = TestStack.repoRoot();
        assertThat(run(root, Map.of(), INSTALL, "python3", "-m", "venv", "--clear", VENV.toString())).as("python3 -m venv").isZero();
        assertThat(run(root, Map.of(), INSTALL, python.toString(), "-m", "pip", "install", "--quiet",
                "--disable-pip-version-check", "--require-hashes", "-r", REQUIREMENTS.toString())).as("pip install").isZero();
        Files.writeString(installedFrom, wanted);
        return python;
    }

    /** Runs a command to its end within {@code deadline}, its output copied into the test log. */
    static int run(Path dir, Map<String, String> env, Duration deadline, String... command)
            throws IOException, InterruptedException {
        Process process = start(dir, env, command);
        if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            stop(process);
            throw new AssertionError(String.join(" ", command) + " did not finish within " + deadline);
        }
        return process.exitValue();
    }

    /** Starts a long-running command (a receiver); the caller stops it with {@link #stop}. */
    static Process start(Path dir, Map<String, String> env, String... command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError("the webhook tests need " + command[0] + " on the PATH (Node.js 20+ with npm, "
                    + "Python 3 with venv): " + e.getMessage(), e);
        }
        Thread copier = new Thread(() -> copyOutput(process, command[0]), command[0] + "-output");
        copier.setDaemon(true);
        copier.start();
        return process;
    }

    static void stop(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    private static void copyOutput(Process process, String prefix) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            lines.lines().forEach(line -> System.out.println("[" + prefix + "] " + line));
        } catch (IOException | UncheckedIOException e) {
            // the process was stopped
        }
    }

    /** The fenced code block right after {@code <!-- ci: name ... -->} in README.md, exactly as written. */
    static String readmeSnippet(String name) throws IOException {
        List<String> lines = Files.readAllLines(TestStack.repoRoot().resolve("README.md"));
        int marker = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("<!-- ci: " + name + " ")) {
                marker = i;
            }
        }
        assertThat(marker).as("README.md marks the snippet " + name).isNotNegative();
        int open = marker + 1;
        assertThat(lines.get(open)).startsWith("```");
        StringBuilder code = new StringBuilder();
        for (int i = open + 1; !lines.get(i).equals("```"); i++) {
            code.append(lines.get(i)).append('\n');
        }
        return code.toString();
    }
}
