package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.emulator.FalEmulator;
import dev.falgate.emulator.FalEmulatorConfig;
import dev.falgate.emulator.faults.FaultSettings;
import dev.falgate.local.LocalAws;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The local stack's JVM killed ({@code destroyForcibly}) between recording a result and copying
 * its outputs, once on the webhook's path and once on the poller's, then restarted on its
 * persisted state: the job completes. fal (the emulator) lives in this JVM, so it outlives the
 * crash; slow CDN downloads hold each job in the window where the kill lands.
 */
class CrashTest {
    static final String KEY = "fg_crash_acme_0123456789abcdef0123456789abcdef";
    static final Duration START = Duration.ofSeconds(90);

    @TempDir
    Path state;
    private FalEmulator fal;
    private Process stack;
    private int apiPort;

    @BeforeEach
    void startFal() throws IOException {
        fal = FalEmulator.start(FalEmulatorConfig.builder().port(0).speed(TestStack.FAL_SPEED).build());
        try (ServerSocket s = new ServerSocket(0)) {
            apiPort = s.getLocalPort();
        }
    }

    @AfterEach
    void stopAll() {
        if (stack != null) {
            stack.destroyForcibly();
        }
        fal.close();
    }

    @Test
    void aCrashAfterTheWebhookRecordedTheResultLosesNothing() throws Exception {
        crashAndRecover("webhook");
    }

    @Test
    void aCrashAfterThePollerRecordedTheResultLosesNothing() throws Exception {
        fal.setDropWebhooks(true);
        crashAndRecover("poller");
    }

    private void crashAndRecover(String recordedBy) throws Exception {
        fal.faults().replace(FaultSettings.parse("{\"knobs\": {\"slow_download\": {\"probability\": 1, \"delay_ms\": 60000}}}"));
        stack = start();
        Api api = new Api(URI.create("http://localhost:" + apiPort));
        String dataUri = "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(Images.png(40, 30));
        Api.Response submitted = api.post("/v1/jobs", KEY,
                Map.of("model", PipelineTest.EDITOR, "input", Map.of("image_url", dataUri)));
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
        String jobId = submitted.json().get("id").asText();

        awaitRecordedNotCopied(jobId, recordedBy);
        stack.destroyForcibly().waitFor();
        fal.faults().replace(FaultSettings.none());
        fal.setDropWebhooks(false);

        stack = start();
        JsonNode done = api.awaitTerminal(KEY, jobId, Duration.ofSeconds(90));
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(PipelineTest.last(done.get("events")).get("source").asText()).isEqualTo(recordedBy);
        assertThat(done.get("events").findValuesAsText("status").stream().filter(s -> s.equals("succeeded"))).hasSize(1);
        assertThat(api.download(done.at("/files/0/url").asText()).status()).isEqualTo(200);
    }

    /** Waits until the job's result is recorded (by the given path) and its outputs are not yet copied. */
    private void awaitRecordedNotCopied(String jobId, String recordedBy) {
        try (DynamoDbClient ddb = LocalAws.dynamoDb(URI.create("http://127.0.0.1:8000"))) {
            Instant deadline = Instant.now().plusSeconds(60);
            while (Instant.now().isBefore(deadline)) {
                Map<String, AttributeValue> item = ddb.getItem(g -> g.tableName("falgate-JobsTable").consistentRead(true)
                        .key(Map.of("pk", AttributeValue.fromS("JOB#" + jobId), "sk", AttributeValue.fromS("JOB")))).item();
                if (item.containsKey("result_status")) {
                    assertThat(item.get("result_source").s()).isEqualTo(recordedBy);
                    assertThat(item.get("outputs_copied").bool()).as("the kill must land before the copy").isFalse();
                    return;
                }
                Api.pause(Duration.ofMillis(100));
            }
        }
        throw new AssertionError("the result of " + jobId + " was never recorded");
    }

    /** {@code ./falgate local} in its own JVM, on this test's state dir, with fal in this JVM. */
    private Process start() throws Exception {
        Path log = state.resolve("stack-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dsun.net.httpserver.nodelay=true",
                "-cp", System.getProperty("java.class.path"),
                "dev.falgate.local.LocalMain",
                "--port", Integer.toString(apiPort),
                "--template", TestStack.repoRoot().resolve("template.yaml").toString(),
                "--fal-url", fal.baseUrl().toString(),
                // a crashed poller's message comes back after this, not after 12 minutes
                "--param", "PollVisibilityTimeout=3",
                // and a crashed finisher's, not after 90 minutes
                "--param", "FinishVisibilityTimeout=3"))
                .directory(state.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("FALGATE_API_KEYS", "acme:" + KEY);
        pb.environment().put("FAL_EMULATOR_KEY", fal.apiKey());
        pb.environment().put("FAL_EMULATOR_SPEED", Double.toString(TestStack.FAL_SPEED));
        Process p = pb.start();
        Instant deadline = Instant.now().plus(START);
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(log) && Files.readString(log).contains("Ctrl-C stops")) {
                return p;
            }
            if (!p.isAlive()) {
                throw new AssertionError("the stack exited: " + Files.readString(log));
            }
            Api.pause(Duration.ofMillis(100));
        }
        p.destroyForcibly();
        throw new AssertionError("the stack did not start in " + START + ": " + Files.readString(log));
    }
}
