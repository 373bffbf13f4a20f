package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * fal's own {@code @fal-ai/client} (pinned by {@code src/test/fal-proxy/package-lock.json},
 * unmodified) through {@code /api/fal/proxy} of the shared stack: {@code proxy.test.mjs} in Node
 * (upload, subscribe with logs, queue submit/status/streamStatus/result, cancel, run for one
 * model per category; refusals) and {@code browser.test.mjs} in Debian's Chromium from a page
 * on another origin with a browser token. Passes only if both suites do.
 */
class FalClientProxyTest extends SharedStackTest {
    private static final Path SUITE = Path.of(System.getProperty("basedir", "."))
            .resolve("src/test/fal-proxy").toAbsolutePath();
    private static final Duration SUITE_TIME = Duration.ofMinutes(5);

    @Test
    void falsOwnClientWorksThroughTheProxyInNodeAndChromium() throws Exception {
        BrowserTest.requireChromium();
        BrowserTest.installPinnedPackages(SUITE);
        List<String> output = new ArrayList<>();
        int exit = new BrowserTest.NodeRun(SUITE, output).run(SUITE_TIME, Map.of(
                "FALGATE_URL", BrowserTest.stripSlash(t.stack.apiUrl().toString()),
                "FALGATE_KEY", TestStack.ACME_KEY,
                "FALGATE_TENANT", "acme",
                "FALGATE_FILES_URL", BrowserTest.stripSlash(t.stack.endpoints().s3().toString()) + "/"
                        + t.stack.template().bucket("FilesBucket").bucketName() + "/",
                "FAL_EMULATOR_URL", BrowserTest.stripSlash(t.fal.baseUrl().toString()),
                "FAL_KEY", "", // the client must not pick up a fal key from the environment
                "CHROMIUM", BrowserTest.CHROMIUM.toString()),
                "node", "--test", "--test-reporter=spec", "--test-concurrency=1", "proxy.test.mjs", "browser.test.mjs");

        assertThat(exit).as("node --test exit code; its output:\n" + String.join("\n", output)).isZero();
    }
}
