package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/jobs/{id}?wait=N}: 200 once the job ends, or after N s with the job as it stands. */
class WaitingReadTest extends SharedStackTest {

    private String submit(String model, String key) {
        String ref = flows.upload(key, Images.png(16, 16), "image/png");
        return flows.submit(key, model, Map.of("image_url", ref)).get("id").asText();
    }

    @Test
    void answersAsSoonAsTheJobHasSucceededWithItsOutputsCopied() {
        t.fal.setSpeed(4); // the edit runs ~2.5 s at fal: the read is waiting when it ends
        String id = submit(PipelineTest.EDITOR, TestStack.ACME_KEY);

        Instant start = Instant.now();
        Api.Response r = api.get("/v1/jobs/" + id + "?wait=20", TestStack.ACME_KEY);
        Instant answered = Instant.now();

        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("succeeded");
        assertThat(r.json().at("/files/0/url").asText()).startsWith("http");
        assertThat(api.download(r.json().at("/files/0/url").asText()).status()).isEqualTo(200);
        assertThat(Duration.between(start, answered)).as("answered at the end, not after the 20 s")
                .isLessThan(Duration.ofSeconds(15));
        Instant completed = Instant.parse(r.json().get("completed_at").asText());
        assertThat(Duration.between(completed, answered)).as("answered soon after the job's end was written")
                .isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void answersAfterTheWaitWithTheJobAsItStands() {
        t.fal.setSpeed(0.01); // the job stays pending at fal
        String id = submit(PipelineTest.MESH, TestStack.ACME_KEY);

        Instant start = Instant.now();
        Api.Response r = api.get("/v1/jobs/" + id + "?wait=2", TestStack.ACME_KEY);
        Duration took = Duration.between(start, Instant.now());

        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isIn("queued", "running");
        assertThat(took).as("waited about the 2 s asked for").isBetween(Duration.ofMillis(1900), Duration.ofSeconds(8));
        JsonNode canceled = api.post("/v1/jobs/" + id + "/cancel", TestStack.ACME_KEY, "{}").json();
        assertThat(canceled.get("status").asText()).isEqualTo("canceled");
        Api.Response ended = api.get("/v1/jobs/" + id + "?wait=25", TestStack.ACME_KEY);
        assertThat(ended.json().get("status").asText()).isEqualTo("canceled");
    }

    @Test
    void aBadWaitIs400NamingWait() {
        String id = submit(PipelineTest.EDITOR, TestStack.ACME_KEY);
        for (String bad : List.of("0", "26", "soon", "1.5", "")) {
            Api.Response r = api.get("/v1/jobs/" + id + "?wait=" + bad, TestStack.ACME_KEY);

            assertThat(r.status()).as(bad + ": " + r.text()).isEqualTo(400);
            assertThat(r.json().at("/error/code").asText()).isEqualTo("validation_failed");
            assertThat(r.json().at("/error/details/0/field").asText()).isEqualTo("wait");
        }
    }

    @Test
    void anotherTenantsJobIs404AtOnce() {
        t.fal.setSpeed(0.01);
        String id = submit(PipelineTest.MESH, TestStack.ACME_KEY);

        Instant start = Instant.now();
        Api.Response r = api.get("/v1/jobs/" + id + "?wait=10", TestStack.GLOBEX_KEY);

        assertThat(r.status()).as(r.text()).isEqualTo(404);
        assertThat(Duration.between(start, Instant.now())).as("no wait for a job the caller cannot see")
                .isLessThan(Duration.ofSeconds(5));
        api.post("/v1/jobs/" + id + "/cancel", TestStack.ACME_KEY, "{}");
    }
}
