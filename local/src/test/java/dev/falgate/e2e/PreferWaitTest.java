package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code Prefer: wait} on POST /v1/jobs: 200 with the finished job when it ends in time, else 202. */
class PreferWaitTest extends SharedStackTest {

    private Api.Response submit(String model, String prefer) {
        String ref = flows.upload(TestStack.ACME_KEY, Images.png(16, 16), "image/png");
        return api.post("/v1/jobs", TestStack.ACME_KEY,
                Map.of("model", model, "input", Map.of("image_url", ref)), Map.of("prefer", prefer));
    }

    @Test
    void aFastModelAnswers200WithTheSucceededJob() {
        Api.Response r = submit(PipelineTest.EDITOR, "wait=10");

        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("succeeded");
        assertThat(r.json().at("/files/0/url").asText()).startsWith("http");
        assertThat(r.headers().get("preference-applied")).containsExactly("wait");
    }

    @Test
    void aSlowModelAnswers202WhenTheWaitRunsOut() {
        t.fal.setSpeed(0.01); // the job stays pending at fal
        Instant start = Instant.now();
        Api.Response r = submit(PipelineTest.MESH, "respond-async, wait=2");
        Duration took = Duration.between(start, Instant.now());

        assertThat(r.status()).as(r.text()).isEqualTo(202);
        assertThat(r.json().get("status").asText()).isIn("queued", "running");
        assertThat(r.headers()).doesNotContainKey("preference-applied");
        assertThat(took).as("waited about the 2 s asked for").isBetween(Duration.ofMillis(1900), Duration.ofSeconds(8));
        JsonNode canceled = api.post("/v1/jobs/" + r.json().get("id").asText() + "/cancel", TestStack.ACME_KEY, "{}").json();
        assertThat(canceled.get("status").asText()).isEqualTo("canceled");
    }

    @Test
    void aWaitOverTheLimitIsRefusedBeforeAnythingIsStored() {
        long submitsBefore = t.fal.stats().model(PipelineTest.EDITOR).submits();
        Api.Response r = submit(PipelineTest.EDITOR, "wait=26");

        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.json().at("/error/details/0/field").asText()).isEqualTo("Prefer");
        assertThat(r.json().at("/error/details/0/code").asText()).isEqualTo("out_of_range");
        assertThat(t.fal.stats().model(PipelineTest.EDITOR).submits()).isEqualTo(submitsBefore);
    }
}
