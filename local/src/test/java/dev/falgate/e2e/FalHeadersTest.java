package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.emulator.AcceptedSubmit;
import dev.falgate.emulator.FalEmulator;
import dev.falgate.emulator.FalEmulatorConfig;
import dev.falgate.local.ApiKey;
import dev.falgate.local.LocalStack;
import dev.falgate.local.LocalStackConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What falgate asks fal to keep, seen by the emulator (its ledger of accepted submits), and
 * what fal billed, on the job: on the shared stack with the template's defaults, and on a stack
 * of its own with {@code FalStorePayloads=false} whose fal drops every webhook, so that the
 * poller reads each result (from fal's queue, which no longer stores it for long).
 */
class FalHeadersTest {
    static final String KEY = "fg_headers_acme_0123456789abcdef0123456789abcdef";
    static final Duration WITHIN = Duration.ofSeconds(90);

    @Test
    void byDefaultEverySubmitAsksFalToExpireItsFilesAfterThreeHoursAndKeepsPayloadStorage() {
        TestStack t = TestStack.get();
        String id = submit(t.api, TestStack.ACME_KEY);

        AcceptedSubmit accepted = acceptedFor(t.fal, id);
        assertThat(accepted.preferences().lifecycleHeader()).isEqualTo("{\"expiration_duration_seconds\":10800}");
        assertThat(accepted.preferences().storeIoHeader()).as("no X-Fal-Store-IO: fal's default (stored)").isNull();
        assertThat(t.api.awaitTerminal(TestStack.ACME_KEY, id, WITHIN).get("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void withoutPayloadStorageThePollerReadsTheResultInTimeAndTheJobRecordsFalsBillableUnits() {
        try (FalEmulator fal = FalEmulator.start(FalEmulatorConfig.builder().port(0).speed(TestStack.FAL_SPEED)
                        .webhookRetryDelays(List.of()).build());
                LocalStack stack = LocalStack.start(LocalStackConfig.builder(TestStack.repoRoot().resolve("template.yaml"))
                        .apiKeys(List.of(new ApiKey("acme", KEY))).fal(TestStack.backend(fal))
                        .parameterOverrides(Map.of("FalStorePayloads", "false", "FalOutputExpirySeconds", "3600"))
                        // the poller stores fal's raw result in S3 (its path for large results)
                        .environmentOverrides(Map.of("FALGATE_RESULT_INLINE_MAX_CHARS", "0"))
                        .build())) {
            fal.setDropWebhooks(true);
            Api api = new Api(stack.apiUrl());
            String id = submit(api, KEY);

            JsonNode job = api.awaitTerminal(KEY, id, WITHIN);

            assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
            assertThat(PipelineTest.last(job.get("events")).get("source").asText()).isEqualTo("poller");
            assertThat(job.get("files")).hasSize(1);
            assertThat(job.get("billable_units").decimalValue()).as("the emulator bills a unit per output file")
                    .isEqualByComparingTo("1");
            AcceptedSubmit accepted = acceptedFor(fal, id);
            assertThat(accepted.preferences().lifecycleHeader()).isEqualTo("{\"expiration_duration_seconds\":3600}");
            assertThat(accepted.preferences().storeIoHeader()).isEqualTo("0");
            assertThat(accepted.preferences().storeIo()).isFalse();
            assertThat(fal.stats().model(PipelineTest.EDITOR).resultReads()).as("one read, no extra call for the units")
                    .isEqualTo(1);
        }
    }

    private static String submit(Api api, String key) {
        String png = "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(Images.png(24, 16));
        Api.Response r = api.post("/v1/jobs", key, Map.of("model", PipelineTest.EDITOR, "input", Map.of("image_url", png)));
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        return r.json().get("id").asText();
    }

    /** The one submit fal accepted for the job (its webhook URL names the job). */
    private static AcceptedSubmit acceptedFor(FalEmulator fal, String jobId) {
        List<AcceptedSubmit> forJob = fal.acceptedSubmits().stream()
                .filter(s -> s.webhookUrl() != null && s.webhookUrl().contains(jobId)).toList();
        assertThat(forJob).hasSize(1);
        return forJob.get(0);
    }
}
