package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.config.TestHooks;
import dev.falgate.emulator.FalEmulator;
import dev.falgate.emulator.FalEmulatorConfig;
import dev.falgate.emulator.faults.FaultSettings;
import dev.falgate.local.ApiKey;
import dev.falgate.local.LocalStack;
import dev.falgate.local.LocalStackConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The moments around writing a job, each on a stack and an emulator of its own: a failure just
 * after the job is written, retried with the same Idempotency-Key; and a canceled job deleted
 * while fal still finishes it.
 */
class SubmitWindowTest {
    static final String KEY = "fg_window_acme_0123456789abcdef0123456789abcdef";

    private FalEmulator fal;
    private LocalStack stack;
    private Api api;

    private void start(Map<String, String> environment) {
        fal = FalEmulator.start(FalEmulatorConfig.builder().port(0).speed(TestStack.FAL_SPEED)
                .webhookRetryDelays(List.of(Duration.ofMillis(200))).build());
        stack = LocalStack.start(LocalStackConfig.builder(TestStack.repoRoot().resolve("template.yaml"))
                .apiKeys(List.of(new ApiKey("acme", KEY))).fal(TestStack.backend(fal))
                .environmentOverrides(environment).build());
        api = new Api(stack.apiUrl());
    }

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.close();
        }
        if (fal != null) {
            fal.close();
        }
    }

    @Test
    void anIdempotentRetryAfterAFailureJustAfterTheJobWasWrittenReturnsThatJobAndFalSeesOneSubmit() {
        start(Map.of(TestHooks.VARIABLE, TestHooks.FAIL_ONCE_AFTER_JOB_WRITE));
        byte[] body = Api.write(Map.of("model", PipelineTest.EDITOR, "input", Map.of("image_url",
                "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(Images.png(24, 16)))))
                .getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = Map.of("authorization", "Bearer " + KEY, "content-type", "application/json",
                "idempotency-key", "order-1001");

        Api.Response failed = api.postRaw("/v1/jobs", headers, body);
        assertThat(failed.status()).as(failed.text()).isEqualTo(500);
        List<String> written = jobIds();
        assertThat(written).as("the job was written before the failure").hasSize(1);
        assertThat(fal.stats().totals().submits()).as("and never reached fal").isZero();

        Api.Response retried = api.postRaw("/v1/jobs", headers, body);
        assertThat(retried.status()).as(retried.text()).isEqualTo(202);
        String jobId = retried.json().get("id").asText();
        assertThat(jobId).isEqualTo(written.get(0));
        JsonNode done = api.awaitTerminal(KEY, jobId, Duration.ofSeconds(30));
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");

        Api.Response again = api.postRaw("/v1/jobs", headers, body);
        assertThat(again.json().get("id").asText()).isEqualTo(jobId);
        assertThat(jobIds()).containsExactly(jobId);
        assertThat(fal.stats().totals().submits()).as("fal saw exactly one submit").isEqualTo(1);
    }

    /** The sweeper's safety net, with no client retry: the job is found, polled, submitted by the poller and finished. */
    @Test
    void aJobLeftByAFailureJustAfterItWasWrittenIsSweptSubmittedAndFinished() {
        start(Map.of(TestHooks.VARIABLE, TestHooks.FAIL_AFTER_JOB_WRITE));
        Api.Response failed = api.post("/v1/jobs", KEY, Map.of("model", PipelineTest.EDITOR, "input", Map.of("image_url",
                "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(Images.png(20, 16)))));
        assertThat(failed.status()).as(failed.text()).isEqualTo(500);
        List<String> written = jobIds();
        assertThat(written).as("the job was written before the failure").hasSize(1);

        JsonNode done = api.awaitTerminal(KEY, written.get(0), Duration.ofSeconds(60));
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(fal.stats().totals().submits()).as("submitted once, by the poller the sweeper scheduled").isEqualTo(1);
    }

    @Test
    void aCanceledJobDeletedWhileFalStillFinishesItLeavesNoFileBehind() {
        start(Map.of());
        fal.setSpeed(2); // the editor takes 5 s at fal, long enough to cancel and delete first
        fal.faults().replace(FaultSettings.parse("{\"knobs\": {\"complete_despite_cancel\": {\"probability\": 1}}}"));
        String dataUri = "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(Images.png(24, 16));
        Api.Response submitted = api.post("/v1/jobs", KEY, Map.of("model", PipelineTest.EDITOR,
                "input", Map.of("image_url", dataUri)));
        String jobId = submitted.json().get("id").asText();
        api.awaitJob(KEY, jobId, j -> !j.path("status").asText().equals("queued")
                || fal.stats().totals().submits() == 1, Duration.ofSeconds(10));
        assertThat(api.post("/v1/jobs/" + jobId + "/cancel", KEY, Map.of()).status()).isEqualTo(200);
        assertThat(api.delete("/v1/jobs/" + jobId, KEY).status()).isEqualTo(204);
        long sentBefore = fal.stats().totals().webhooksSent();
        // the callback copies an image job's outputs before it writes: it answers only once the copy of a job that is gone is deleted again
        try (CallbackInvocations callbacks = new CallbackInvocations()) {
            // fal completes the request anyway and calls back (and once more, refused); the poll chain comes by too
            Instant deadline = Instant.now().plusSeconds(30);
            while ((fal.stats().totals().webhooksSent() < sentBefore + 2 || callbacks.finished() < 2)
                    && Instant.now().isBefore(deadline)) {
                Api.pause(Duration.ofMillis(100));
            }
            assertThat(fal.stats().totals().webhooksSent()).as("fal finished the canceled request").isGreaterThan(sentBefore + 1);
            assertThat(callbacks.finished()).as("both deliveries answered").isGreaterThanOrEqualTo(2);
        }
        assertThat(api.get("/v1/jobs/" + jobId, KEY).status()).isEqualTo(404);
        assertThat(objects("outputs/acme/" + jobId + "/")).isZero();
        assertThat(objects("results/" + jobId + "/")).isZero();
    }

    /** Counts the CallbackFunction invocations the local runtime finished (its DEBUG line per invocation). */
    private static final class CallbackInvocations implements AutoCloseable {
        private final ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger(dev.falgate.local.runtime.FunctionRuntime.class);
        private final ch.qos.logback.classic.Level level = log.getLevel();
        private final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        private final ch.qos.logback.core.AppenderBase<ch.qos.logback.classic.spi.ILoggingEvent> appender = new ch.qos.logback.core.AppenderBase<>() {
            @Override
            protected void append(ch.qos.logback.classic.spi.ILoggingEvent e) {
                if (e.getFormattedMessage().startsWith("CallbackFunction request")) {
                    count.incrementAndGet();
                }
            }
        };

        CallbackInvocations() {
            appender.start();
            log.addAppender(appender);
            log.setLevel(ch.qos.logback.classic.Level.DEBUG);
        }

        int finished() {
            return count.get();
        }

        @Override
        public void close() {
            log.detachAppender(appender);
            log.setLevel(level);
        }
    }

    private List<String> jobIds() {
        return api.get("/v1/jobs?limit=100", KEY).json().get("jobs").findValuesAsText("id");
    }

    private int objects(String prefix) {
        String bucket = stack.environment("ReadFunction").get("FILES_BUCKET");
        return stack.s3().listObjectsV2Paginator(l -> l.bucket(bucket).prefix(prefix)).contents().stream()
                .mapToInt(o -> 1).sum();
    }
}
