package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.emulator.FalEmulator;
import dev.falgate.emulator.FalEmulatorConfig;
import dev.falgate.emulator.faults.FaultSettings;
import dev.falgate.config.TestHooks;
import dev.falgate.local.LocalAws;
import dev.falgate.local.testing.FreePorts;
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
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The local stack's JVM killed ({@code destroyForcibly}) while a job's outputs are being copied,
 * once in the webhook's callback (which copies before it records anything) and once on the
 * poller's path (after recording the result), then restarted on its persisted state: the job completes. fal (the emulator) lives in this JVM, so it outlives the
 * crash; slow CDN downloads hold each job in the window where the kill lands.
 */
class CrashTest {
    static final String KEY = "fg_crash_acme_0123456789abcdef0123456789abcdef";
    static final Duration START = Duration.ofSeconds(90);

    @TempDir
    Path state;
    private FalEmulator fal;
    private Process stack;
    /** API, DynamoDB, SQS, S3: free ones, so a `./falgate local` running on the defaults does not matter. */
    private List<Integer> ports;

    @BeforeEach
    void startFal() {
        fal = FalEmulator.start(FalEmulatorConfig.builder().port(0).speed(TestStack.FAL_SPEED).build());
        ports = FreePorts.distinct(4);
    }

    @AfterEach
    void stopAll() {
        if (stack != null) {
            stack.destroyForcibly();
        }
        fal.close();
    }

    /**
     * An image job's callback copies the outputs before it writes anything, so the crash in the
     * webhook's window lands mid-copy: nothing is recorded, fal's webhook was never answered 2xx
     * (its next delivery comes after 120 s), and the restarted stack's sweeper finds the job
     * overdue and its poll brings the result.
     */
    @Test
    void aCrashWhileTheWebhookCopiesTheOutputsLosesNothing() throws Exception {
        fal.faults().replace(FaultSettings.parse("{\"knobs\": {\"slow_download\": {\"probability\": 1, \"delay_ms\": 60000}}}"));
        stack = start();
        Api api = new Api(URI.create("http://localhost:" + ports.get(0)));
        String jobId = submitEditorJob(api);
        awaitCopyingNothingRecorded(jobId);
        stack.destroyForcibly().waitFor();
        fal.faults().replace(FaultSettings.none());
        assertThat(fal.stats().totals().webhooksAcknowledged()).as("fal's webhook was never answered 2xx").isZero();

        stack = start();
        assertSucceededOnce(api, jobId, "poller");
    }

    @Test
    void aCrashAfterThePollerRecordedTheResultLosesNothing() throws Exception {
        fal.setDropWebhooks(true);
        crashAndRecover("poller");
    }

    /**
     * The JVM halts exactly between writing a new job and scheduling its first poll (a named test
     * hook). Restarted with the sweeper held back, the job is there, queued and never claimed, and
     * the poll queue is empty: nothing would ever look at it. Restarted as usual, the sweeper finds
     * it and the job completes, sent to fal once.
     */
    @Test
    void aCrashBetweenWritingAJobAndSchedulingItsFirstPollLosesNothing() throws Exception {
        stack = start(Map.of(TestHooks.VARIABLE, TestHooks.HALT_AFTER_JOB_WRITE), List.of());
        Api api = new Api(URI.create("http://localhost:" + ports.get(0)));
        String dataUri = "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(Images.png(40, 30));
        try {
            // a 3D model: its deadline (an hour, 90 s at the tests' speed) outlasts three stack starts
            api.post("/v1/jobs", KEY, Map.of("model", PipelineTest.MESH, "input", Map.of("image_url", dataUri)));
        } catch (AssertionError | RuntimeException connectionLost) {
            // the stack died under the request, as a killed Lambda would
        }
        assertThat(stack.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("the stack halted").isTrue();
        assertThat(stack.exitValue()).as("halted by the hook, not by anything else").isEqualTo(TestHooks.HALT_STATUS);

        stack = start(Map.of(), List.of("--param", "SweepSchedule=rate(1 day)"));
        String jobId = api.get("/v1/jobs?limit=5", KEY).json().at("/jobs/0/id").asText();
        Map<String, AttributeValue> item = jobItem(jobId);
        assertThat(item.get("submit_state").s()).isEqualTo("PENDING");
        assertThat(item).containsKey("sweep_at");
        try (SqsClient sqs = LocalAws.sqs(URI.create("http://127.0.0.1:" + ports.get(2)))) {
            String queue = sqs.getQueueUrl(q -> q.queueName("falgate-PollQueue")).queueUrl();
            Map<QueueAttributeName, String> counts = sqs.getQueueAttributes(a -> a.queueUrl(queue).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            assertThat(counts.values()).as("the poll queue when the stack died: " + counts).containsOnly("0");
        }
        assertThat(fal.stats().totals().submits()).as("fal never saw it").isZero();
        stack.destroyForcibly().waitFor();

        stack = start(Map.of(), List.of());
        JsonNode done = api.awaitTerminal(KEY, jobId, Duration.ofSeconds(90));
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(fal.stats().totals().submits()).as("sent to fal once").isEqualTo(1);
    }

    private Map<String, AttributeValue> jobItem(String jobId) {
        try (DynamoDbClient ddb = LocalAws.dynamoDb(URI.create("http://127.0.0.1:" + ports.get(1)))) {
            return ddb.getItem(g -> g.tableName("falgate-JobsTable").consistentRead(true)
                    .key(Map.of("pk", AttributeValue.fromS("JOB#" + jobId), "sk", AttributeValue.fromS("JOB")))).item();
        }
    }

    private void crashAndRecover(String recordedBy) throws Exception {
        fal.faults().replace(FaultSettings.parse("{\"knobs\": {\"slow_download\": {\"probability\": 1, \"delay_ms\": 60000}}}"));
        stack = start();
        Api api = new Api(URI.create("http://localhost:" + ports.get(0)));
        String jobId = submitEditorJob(api);

        awaitRecordedNotCopied(jobId, recordedBy);
        stack.destroyForcibly().waitFor();
        fal.faults().replace(FaultSettings.none());
        fal.setDropWebhooks(false);

        stack = start();
        assertSucceededOnce(api, jobId, recordedBy);
    }

    private static String submitEditorJob(Api api) {
        String dataUri = "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(Images.png(40, 30));
        Api.Response submitted = api.post("/v1/jobs", KEY,
                Map.of("model", PipelineTest.EDITOR, "input", Map.of("image_url", dataUri)));
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
        return submitted.json().get("id").asText();
    }

    private void assertSucceededOnce(Api api, String jobId, String recordedBy) throws java.io.IOException {
        JsonNode done;
        try {
            done = api.awaitTerminal(KEY, jobId, Duration.ofSeconds(90));
        } catch (AssertionError notDone) {
            throw new AssertionError(notDone.getMessage() + stackLogs(), notDone);
        }
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(PipelineTest.last(done.get("events")).get("source").asText()).isEqualTo(recordedBy);
        assertThat(done.get("events").findValuesAsText("status").stream().filter(s -> s.equals("succeeded"))).hasSize(1);
        assertThat(api.download(done.at("/files/0/url").asText()).status()).isEqualTo(200);
    }

    /** The last lines of every stack's log, oldest stack first: the @TempDir holding them is gone after the test. */
    private String stackLogs() throws java.io.IOException {
        StringBuilder out = new StringBuilder();
        try (var logs = Files.list(state)) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("stack-")).sorted().toList()) {
                List<String> lines = Files.readAllLines(log);
                out.append("\n--- ").append(log.getFileName()).append(", last 60 of ").append(lines.size())
                        .append(" lines ---\n").append(String.join("\n", lines.subList(Math.max(0, lines.size() - 60),
                                lines.size())));
            }
        }
        return out.toString();
    }

    /** Waits until the callback downloads the job's output (slowly) while nothing about the result is stored. */
    private void awaitCopyingNothingRecorded(String jobId) {
        Instant deadline = Instant.now().plusSeconds(60);
        while (fal.stats().fired(dev.falgate.emulator.faults.Fault.SLOW_DOWNLOAD) == 0) {
            assertThat(Instant.now()).as("the callback never started copying").isBefore(deadline);
            Api.pause(Duration.ofMillis(100));
        }
        Map<String, AttributeValue> item = jobItem(jobId);
        assertThat(item).as("the copy comes before any write").doesNotContainKey("result_status")
                .containsEntry("outputs_copied", AttributeValue.fromBool(false))
                .containsEntry("status", AttributeValue.fromS("queued"));
    }

    /** Waits until the job's result is recorded (by the given path) and its outputs are not yet copied. */
    private void awaitRecordedNotCopied(String jobId, String recordedBy) {
        try (DynamoDbClient ddb = LocalAws.dynamoDb(URI.create("http://127.0.0.1:" + ports.get(1)))) {
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
        return start(Map.of(), List.of());
    }

    private Process start(Map<String, String> environment, List<String> extraArguments) throws Exception {
        Path log = state.resolve("stack-" + System.nanoTime() + ".log");
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dsun.net.httpserver.nodelay=true",
                "-cp", System.getProperty("java.class.path"),
                "dev.falgate.local.LocalMain",
                "--port", Integer.toString(ports.get(0)),
                "--dynamodb-port", Integer.toString(ports.get(1)),
                "--sqs-port", Integer.toString(ports.get(2)),
                "--s3-port", Integer.toString(ports.get(3)),
                "--template", TestStack.repoRoot().resolve("template.yaml").toString(),
                "--fal-url", fal.baseUrl().toString()));
        command.addAll(extraArguments);
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(state.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(environment);
        // a crashed poller's or finisher's message comes back after 3 s, not after 12 or 90 minutes
        // (the local runner's own setting: the template's parameters refuse such values)
        pb.environment().put("FALGATE_LOCAL_VISIBILITY_TIMEOUT", "3");
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
