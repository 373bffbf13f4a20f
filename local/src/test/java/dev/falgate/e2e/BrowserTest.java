package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The web page as a person uses it: the Node suite in {@code src/test/browser} drives Debian's
 * Chromium through {@code playwright-core} (pinned by its lock file, installed by {@code npm ci},
 * never a browser download) against the shared embedded stack, and this test passes only if it
 * does. Chromium runs headless with WebGL through SwiftShader; the suite fails when the page
 * gets no WebGL context. Screenshots are kept under {@code target/browser-screenshots/}.
 */
class BrowserTest {
    static final Path CHROMIUM = Path.of(System.getProperty("falgate.chromium", "/usr/bin/chromium"));
    private static final Path SUITE = Path.of(System.getProperty("basedir", "."))
            .resolve("src/test/browser").toAbsolutePath();
    private static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."))
            .resolve("target/browser-screenshots").toAbsolutePath();
    private static final Duration NPM_CI = Duration.ofMinutes(3);
    private static final Duration SUITE_TIME = Duration.ofMinutes(5);

    @Test
    void thePageCreatesWatchesAndShowsJobsInChromium() throws Exception {
        requireChromium();
        installPinnedPackages(SUITE);
        TestStack stack = TestStack.get();
        Files.createDirectories(SCREENSHOTS);
        List<String> output = new ArrayList<>();
        int exit = new NodeRun(SUITE, output).run(SUITE_TIME, Map.of(
                "FALGATE_URL", stripSlash(stack.stack.apiUrl().toString()),
                "FALGATE_KEY", TestStack.ACME_KEY,
                "FAL_EMULATOR_URL", stripSlash(stack.fal.baseUrl().toString()),
                "FALGATE_SPEED", String.valueOf(TestStack.FAL_SPEED),
                "CHROMIUM", CHROMIUM.toString(),
                "SCREENSHOTS", SCREENSHOTS.toString(),
                "REPO_ROOT", TestStack.repoRoot().toString()),
                "node", "--test", "--test-reporter=spec", "browser.test.mjs", "vendor.test.mjs");

        assertThat(exit).as("node --test browser.test.mjs exit code; its output:\n"
                + String.join("\n", output)).isZero();
    }

    static void requireChromium() {
        if (!Files.isExecutable(CHROMIUM)) {
            fail("BrowserTest drives Debian's Chromium at " + CHROMIUM + ", which is missing: "
                    + "install it with `apt-get install -y chromium` (.ci/run does)");
        }
    }

    /** {@code npm ci} unless node_modules already holds what the lock file pins. */
    static void installPinnedPackages(Path suite) throws IOException, InterruptedException {
        Path lock = suite.resolve("package-lock.json");
        Path installed = suite.resolve("node_modules/.package-lock.json");
        if (Files.exists(installed) && Files.getLastModifiedTime(installed)
                .compareTo(Files.getLastModifiedTime(lock)) >= 0) {
            return;
        }
        List<String> output = new ArrayList<>();
        int exit = new NodeRun(suite, output).run(NPM_CI, Map.of(),
                "npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts");
        assertThat(exit).as("npm ci in " + suite + ":\n" + String.join("\n", output)).isZero();
    }

    static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** A command in a folder, its output echoed to the test log and kept for the report. */
    record NodeRun(Path folder, List<String> output) {
        /** Telemetry, update checks and browser downloads off, whatever the machine's settings. */
        private static final Map<String, String> QUIET = Map.of(
                "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1", "DO_NOT_TRACK", "1",
                "npm_config_update_notifier", "false", "npm_config_fund", "false",
                "npm_config_audit", "false", "NEXT_TELEMETRY_DISABLED", "1");

        int run(Duration deadline, Map<String, String> env, String... command)
                throws IOException, InterruptedException {
            ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile())
                    .redirectErrorStream(true);
            builder.environment().putAll(QUIET);
            builder.environment().putAll(env);
            Process process = startOrExplain(builder);
            Thread reader = new Thread(() -> keepLines(process), command[0] + "-output");
            reader.setDaemon(true);
            reader.start();
            if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                reader.join(TimeUnit.SECONDS.toMillis(5));
                fail(String.join(" ", command) + " did not finish within " + deadline + ":\n"
                        + String.join("\n", output));
            }
            reader.join(TimeUnit.SECONDS.toMillis(5));
            return process.exitValue();
        }

        private static Process startOrExplain(ProcessBuilder builder) {
            try {
                return builder.start();
            } catch (IOException e) {
                return fail("BrowserTest needs Node.js 20+ with npm on the PATH ('"
                        + builder.command().get(0) + "' could not be started: " + e.getMessage() + ")");
            }
        }

        private void keepLines(Process process) {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(
                    process.getInputStream(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(line -> {
                    System.out.println("[browser] " + line);
                    synchronized (output) {
                        output.add(line);
                    }
                });
            } catch (IOException | UncheckedIOException e) {
                // the process was killed at its deadline; run() reports that
            }
        }
    }
}
