package dev.falgate.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.api.Test;

/**
 * fal's own JavaScript client, {@code @fal-ai/client} from npm, unmodified, against the emulator:
 * runs the node:test suites in {@code src/test/js} (installing the pinned client with
 * {@code npm ci} when missing) and passes only if they do. Node.js and npm are required; without
 * them this test fails rather than skips.
 */
class FalJsClientTest {
    private static final Path JS_DIR = Path.of(System.getProperty("basedir", "."))
            .resolve("src/test/js");
    private static final Duration TOOL_CHECK = Duration.ofSeconds(20);
    private static final Duration NPM_CI = Duration.ofMinutes(3);
    private static final Duration NODE_TESTS = Duration.ofSeconds(90);
    private static final int MIN_NODE_MAJOR = 20;
    /**
     * At 40x an image edit runs ~0.25 s and a 3D job 2-3 s: long enough to watch queue_position
     * count down and to see keep-alives, short enough for the whole suite to take ~20 s.
     */
    private static final double SPEED = 40;

    @Test
    void falsOwnJavaScriptClientWorksAgainstTheEmulator() throws Exception {
        requireNode();
        installClientIfMissing();
        FalEmulatorConfig config = FalEmulatorConfig.builder().speed(SPEED).concurrency(1)
                .streamKeepAlive(Duration.ofSeconds(1))
                .webhookRetryDelays(List.of(Duration.ofMillis(100))).build();
        try (FalEmulator emulator = FalEmulator.start(config)) {
            int exit = run(NODE_TESTS, Map.of("FAL_EMULATOR_URL", emulator.baseUrl().toString(),
                    "FAL_KEY", emulator.apiKey()),
                    "node", "--test", "--test-reporter=spec", "--test-concurrency=1");

            assertThat(exit).as("node --test exit code (its output is above)").isZero();
            assertEveryCategoryWasExercised(emulator.stats());
        }
    }

    private static void assertEveryCategoryWasExercised(StatsSnapshot stats) {
        for (String model : List.of("fal-ai/image-editing/background-change",
                "tripo3d/tripo/v2.5/image-to-3d", "fal-ai/hunyuan3d/v2/multi-view",
                "fal-ai/era-3d", "fal-ai/image-preprocessors/sam")) {
            ModelCounts counts = stats.model(model);
            assertThat(counts.submits()).as(model).isGreaterThanOrEqualTo(3);
            assertThat(counts.statusPolls()).as(model).isPositive();
            assertThat(counts.resultReads()).as(model).isGreaterThanOrEqualTo(2);
            assertThat(counts.cancels()).as(model).isEqualTo(2);
        }
        assertThat(stats.model("fal-ai/image-editing/background-change").webhooksAcknowledged())
                .isEqualTo(2);
    }

    private static void requireNode() throws InterruptedException {
        String version = output(List.of("node", "--version")).trim();
        int major = Integer.parseInt(version.replaceFirst("^v(\\d+).*$", "$1"));
        assertThat(major).as("Node.js major version (" + version + ")")
                .isGreaterThanOrEqualTo(MIN_NODE_MAJOR);
        output(List.of("npm", "--version"));
    }

    /** {@code npm ci} unless node_modules already holds the client version package.json pins. */
    private static void installClientIfMissing() throws IOException, InterruptedException {
        JsonNode manifest = Json.MAPPER.readTree(JS_DIR.resolve("package.json").toFile());
        String pinned = manifest.at("/dependencies/@fal-ai~1client").asText();
        Path installed = JS_DIR.resolve("node_modules/@fal-ai/client/package.json");
        if (Files.exists(installed)
                && Json.MAPPER.readTree(installed.toFile()).path("version").asText().equals(pinned)) {
            return;
        }
        int exit = run(NPM_CI, Map.of(), "npm", "ci", "--no-audit", "--no-fund");
        assertThat(exit).as("npm ci in " + JS_DIR + " (its output is above)").isZero();
    }

    /** Runs a command in src/test/js, copying its output into the test log, within a deadline. */
    private static int run(Duration deadline, Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(JS_DIR.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        Thread copier = new Thread(() -> copyLines(process, command[0]), command[0] + "-output");
        copier.setDaemon(true);
        copier.start();
        if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within " + deadline);
        }
        copier.join(TimeUnit.SECONDS.toMillis(5));
        return process.exitValue();
    }

    private static void copyLines(Process process, String prefix) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(
                process.getInputStream(), StandardCharsets.UTF_8))) {
            lines.lines().forEach(line -> System.out.println("[" + prefix + "] " + line));
        } catch (IOException | UncheckedIOException e) {
            // the process was killed at its deadline; fail() reports that
        }
    }

    /** A tool's output; fails with what to install when the tool is missing. */
    private static String output(List<String> command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(TOOL_CHECK.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not answer within " + TOOL_CHECK);
            }
            String out = new String(process.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
            return out;
        } catch (IOException e) {
            return fail("FalJsClientTest runs fal's JavaScript client and needs Node.js "
                    + MIN_NODE_MAJOR + "+ with npm on the PATH ('" + command.get(0)
                    + "' could not be started: " + e.getMessage() + ")");
        }
    }
}
