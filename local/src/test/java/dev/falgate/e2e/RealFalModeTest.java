package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.emulator.ModelCounts;
import dev.falgate.local.ApiKey;
import dev.falgate.local.LocalStack;
import dev.falgate.local.LocalStackConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code ./falgate local} with a real FAL_KEY: fal can neither read the laptop's bucket nor call
 * its webhook. Shown here against the emulator: a stack whose presigned S3 URLs point nowhere
 * reachable still runs jobs, because inputs go through fal's storage, and the poller finishes them.
 */
class RealFalModeTest {
    static final String MODEL = "fal-ai/image-editing/object-removal";

    @Test
    void inputsGoThroughFalStorageAndThePollerFinishesWithoutWebhooks() {
        TestStack shared = TestStack.get();
        new PipelineTest().awaitNoPendingJobs();
        ModelCounts before = shared.fal.stats().model(MODEL);
        Map<String, String> laptop = Map.of(
                "FAL_INPUT_STORAGE", "fal",
                "FAL_REST_BASE_URL", shared.fal.baseUrl().toString(),
                "WEBHOOK_BASE_URL", "none",
                // presigned URLs handed to fal would point at a closed port: fal must not need them
                "FALGATE_PUBLIC_S3_ENDPOINT", "http://127.0.0.1:9");
        try (LocalStack laptopStack = LocalStack.start(LocalStackConfig.builder(TestStack.repoRoot().resolve("template.yaml"))
                .apiKeys(java.util.List.of(new ApiKey("acme", TestStack.ACME_KEY)))
                .fal(TestStack.backend(shared.fal))
                .environmentOverrides(laptop)
                .build())) {
            Api api = new Api(laptopStack.apiUrl());
            String dataUri = "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(Images.png(40, 30));
            Api.Response r = api.post("/v1/jobs", TestStack.ACME_KEY, Map.of("model", MODEL, "input", Map.of("image_url", dataUri)));
            assertThat(r.status()).as(r.text()).isEqualTo(202);
            JsonNode done = api.awaitTerminal(TestStack.ACME_KEY, r.json().get("id").asText(), PipelineTest.WITHIN);
            assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
            assertThat(PipelineTest.last(done.get("events")).get("source").asText()).isEqualTo("poller");
        }
        ModelCounts after = shared.fal.stats().model(MODEL);
        assertThat(after.submits() - before.submits()).isEqualTo(1);
        assertThat(after.webhooksSent() - before.webhooksSent()).as("no webhook asked for").isZero();
        assertThat(after.webhooksDropped() - before.webhooksDropped()).isZero();
        assertThat(after.resultReads() - before.resultReads()).isEqualTo(1);
    }
}
