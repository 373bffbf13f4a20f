package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Retried or concurrent POSTs with one Idempotency-Key run once and never pay fal twice. */
class IdempotencyTest {
    /** A model no other end-to-end test submits to, so its fal counters are this test's alone. */
    static final String MODEL = "fal-ai/image-editing/face-enhancement";

    private final TestStack t = TestStack.get();
    private final PipelineTest flows = new PipelineTest();

    @Test
    void tenConcurrentSubmitsWithOneKeyMakeOneJobAndOneFalSubmit() throws Exception {
        String ref = flows.upload(TestStack.ACME_KEY, Images.png(24, 24), "image/png");
        String body = Api.write(Map.of("model", MODEL, "input", Map.of("image_url", ref)));
        String key = UUID.randomUUID().toString();
        long submitsBefore = t.fal.stats().model(MODEL).submits();

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                HttpClient ownConnection = HttpClient.newHttpClient();
                HttpRequest request = HttpRequest.newBuilder(URI.create(t.stack.apiUrl() + "/v1/jobs"))
                        .header("authorization", "Bearer " + TestStack.ACME_KEY)
                        .header("content-type", "application/json").header("idempotency-key", key)
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                answers.add(pool.submit(() -> {
                    start.await();
                    return ownConnection.send(request, HttpResponse.BodyHandlers.ofString());
                }));
            }
            start.countDown();
            List<String> jobIds = new ArrayList<>();
            for (Future<HttpResponse<String>> f : answers) {
                HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
                if (r.statusCode() == 409) {
                    assertThat(r.headers().firstValue("retry-after")).isPresent();
                    continue;
                }
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                jobIds.add(Api.JSON.readTree(r.body()).get("id").asText());
            }
            assertThat(jobIds).isNotEmpty();
            assertThat(jobIds.stream().distinct()).hasSize(1);
            api().awaitTerminal(TestStack.ACME_KEY, jobIds.get(0), PipelineTest.WITHIN);
        } finally {
            pool.shutdownNow();
        }
        assertThat(t.fal.stats().model(MODEL).submits() - submitsBefore).as("fal submits").isEqualTo(1);
    }

    @Test
    void aRetryGetsTheSameJobAndAnotherBodyWithTheKeyIsRefused() {
        String ref = flows.upload(TestStack.GLOBEX_KEY, Images.png(24, 24), "image/png");
        String key = UUID.randomUUID().toString();
        Map<String, Object> job = Map.of("model", MODEL, "input", Map.of("image_url", ref));
        Api.Response first = post(TestStack.GLOBEX_KEY, key, Api.write(job));
        // the same body with its keys in another order is the same request
        Api.Response retry = post(TestStack.GLOBEX_KEY, key,
                "{\"input\":{\"image_url\":\"" + ref + "\"},\"model\":\"" + MODEL + "\"}");
        assertThat(first.status()).isEqualTo(202);
        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.json().get("id")).isEqualTo(first.json().get("id"));

        Api.Response other = post(TestStack.GLOBEX_KEY, key, Api.write(Map.of("model", MODEL,
                "input", Map.of("image_url", ref, "seed", 7))));
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.json().at("/error/code").asText()).isEqualTo("idempotency_key_reused");

        // keys are per tenant: the other tenant's identical key is its own
        String acmeRef = flows.upload(TestStack.ACME_KEY, Images.png(24, 24), "image/png");
        Api.Response acme = post(TestStack.ACME_KEY, key, Api.write(Map.of("model", MODEL, "input", Map.of("image_url", acmeRef))));
        assertThat(acme.status()).isEqualTo(202);
        assertThat(acme.json().get("id")).isNotEqualTo(first.json().get("id"));
    }

    @Test
    void anUploadRetriedWithItsKeyIsTheSameUpload() {
        String key = UUID.randomUUID().toString();
        String body = Api.write(Map.of("content_type", "image/png", "size", 1234));
        JsonNode a = post(TestStack.ACME_KEY, key, body, "/v1/uploads").json();
        JsonNode b = post(TestStack.ACME_KEY, key, body, "/v1/uploads").json();
        assertThat(b.get("upload_id")).isEqualTo(a.get("upload_id"));
        assertThat(b.get("ref")).isEqualTo(a.get("ref"));
    }

    private Api.Response post(String apiKey, String idempotencyKey, String body) {
        return post(apiKey, idempotencyKey, body, "/v1/jobs");
    }

    private Api.Response post(String apiKey, String idempotencyKey, String body, String path) {
        return api().postRaw(path, Map.of("authorization", "Bearer " + apiKey, "content-type", "application/json",
                "idempotency-key", idempotencyKey), body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private Api api() {
        return t.api;
    }
}
