package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import dev.falgate.config.SecretSource;
import dev.falgate.fal.WebhookTokens;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Forged webhooks and other tenants get nothing, and change nothing. */
class SecurityTest extends SharedStackTest {

    @Test
    void forgedWebhooksGet401AndChangeNothing() throws Exception {
        t.fal.setSpeed(0.01); // the jobs stay pending at fal while we forge
        String ref = flows.upload(TestStack.ACME_KEY, Images.png(16, 16), "image/png");
        String a = flows.submit(TestStack.ACME_KEY, PipelineTest.MESH, Map.of("image_url", ref)).get("id").asText();
        String b = flows.submit(TestStack.ACME_KEY, PipelineTest.MESH, Map.of("image_url", ref)).get("id").asText();
        String requestA = awaitRequestId(a);
        awaitRequestId(b);
        long versionA = version(a);
        long versionB = version(b);
        int objects = objectsOf(a, b);

        byte[] body = webhookBody(requestA);
        long now = Instant.now().getEpochSecond();
        KeyPair stranger = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertRefused(a, sign(stranger, requestA, now, body), body, "signed by another key");
        byte[] changed = body.clone();
        changed[changed.length - 3] ^= 1;
        assertRefused(a, t.fal.webhookHeaders(requestA, Long.toString(now), body), changed, "one byte changed");
        assertRefused(a, t.fal.webhookHeaders(requestA, Long.toString(now - 301), body), body, "timestamp 301 s old");
        assertRefused(b, t.fal.webhookHeaders(requestA, Long.toString(now), body), body, "replayed to another job");

        assertThat(version(a)).isEqualTo(versionA);
        assertThat(version(b)).isEqualTo(versionB);
        assertThat(objectsOf(a, b)).as("no S3 write for the attacked jobs").isEqualTo(objects).isZero();

        // the same webhook, untouched and on its own job's URL, is accepted: the refusals above
        // were for the forgeries, not for the way this test signs
        Api.Response ok = api.postRaw(webhookPath(a), headers(t.fal.webhookHeaders(requestA, Long.toString(now), body)), body);
        assertThat(ok.status()).as(ok.text()).isEqualTo(200);
        JsonNode failed = api.awaitTerminal(TestStack.ACME_KEY, a, Duration.ofSeconds(30));
        assertThat(failed.at("/error/code").asText()).isEqualTo("model_error");
        assertThat(PipelineTest.last(failed.get("events")).get("source").asText()).isEqualTo("webhook");
        api.post("/v1/jobs/" + b + "/cancel", TestStack.ACME_KEY, "{}");
    }

    @Test
    void anotherTenantSeesExactlyTheMissingJob404AndCannotUseCursorsOrUploads() {
        String ref = flows.upload(TestStack.ACME_KEY, Images.png(16, 16), "image/png");
        String job = flows.submit(TestStack.ACME_KEY, PipelineTest.EDITOR, Map.of("image_url", ref)).get("id").asText();
        flows.submit(TestStack.ACME_KEY, PipelineTest.EDITOR, Map.of("image_url", ref));
        String missing = "job_01JDQ7V3K8Y9ZC2M4N6P8R0T2W";

        Api.Response theirs = api.get("/v1/jobs/" + job, TestStack.GLOBEX_KEY);
        Api.Response none = api.get("/v1/jobs/" + missing, TestStack.GLOBEX_KEY);
        assertThat(theirs.status()).isEqualTo(404);
        assertThat(theirs.body()).isEqualTo(none.body());
        Api.Response cancelTheirs = api.post("/v1/jobs/" + job + "/cancel", TestStack.GLOBEX_KEY, "{}");
        Api.Response cancelNone = api.post("/v1/jobs/" + missing + "/cancel", TestStack.GLOBEX_KEY, "{}");
        assertThat(cancelTheirs.status()).isEqualTo(404);
        assertThat(cancelTheirs.body()).isEqualTo(cancelNone.body());
        assertThat(api.get("/v1/jobs/" + job, TestStack.ACME_KEY).status()).isEqualTo(200);

        assertThat(api.get("/v1/jobs?limit=100", TestStack.GLOBEX_KEY).json().get("jobs").findValuesAsText("id"))
                .doesNotContain(job);
        String cursor = api.get("/v1/jobs?limit=1", TestStack.ACME_KEY).json().get("next_cursor").asText();
        Api.Response stolen = api.get("/v1/jobs?limit=1&cursor=" + cursor, TestStack.GLOBEX_KEY);
        assertThat(stolen.status()).isEqualTo(400);
        assertThat(stolen.json().at("/error/code").asText()).isEqualTo("invalid_cursor");
        Api.Response otherFilter = api.get("/v1/jobs?limit=1&status=failed&cursor=" + cursor, TestStack.ACME_KEY);
        assertThat(otherFilter.json().at("/error/code").asText()).isEqualTo("invalid_cursor");
        assertThat(api.get("/v1/jobs?limit=1&cursor=" + cursor, TestStack.ACME_KEY).status()).isEqualTo(200);

        int submitsBefore = (int) t.fal.stats().totals().submits();
        Api.Response borrowed = api.post("/v1/jobs", TestStack.GLOBEX_KEY,
                Map.of("model", PipelineTest.EDITOR, "input", Map.of("image_url", ref)));
        assertThat(borrowed.status()).isEqualTo(400);
        assertThat(borrowed.json().at("/error/details/0/field").asText()).isEqualTo("input.image_url");
        assertThat(borrowed.json().at("/error/details/0/code").asText()).isEqualTo("upload_not_found");
        assertThat(t.fal.stats().totals().submits()).isEqualTo(submitsBefore);
    }

    @Test
    void everyApiRouteButTheWebhookNeedsAKey() {
        for (String path : List.of("/v1/models", "/v1/jobs", "/v1/jobs/job_01JDQ7V3K8Y9ZC2M4N6P8R0T2W")) {
            assertThat(api.get(path, null).status()).as(path).isEqualTo(401);
            assertThat(api.get(path, "fg_not_a_key").status()).as(path).isEqualTo(401);
        }
        Api.Response r = api.post("/v1/jobs", null, Map.of("model", PipelineTest.EDITOR, "input", Map.of()));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("unauthorized");
    }

    /** The job's webhook URL as falgate gives it to fal: with the job's token. */
    static String webhookPath(TestStack t, String jobId) {
        WebhookTokens tokens = new WebhookTokens(SecretSource.of(t.stack.environment("CallbackFunction").get("WEBHOOK_SECRET")));
        return "/v1/webhooks/fal/" + jobId + "?token=" + tokens.tokenFor(jobId);
    }

    private String webhookPath(String jobId) {
        return webhookPath(t, jobId);
    }

    private void assertRefused(String jobId, Map<String, String> signed, byte[] body, String why) {
        Api.Response r = api.postRaw(webhookPath(jobId), headers(signed), body);
        assertThat(r.status()).as(why + ": " + r.text()).isEqualTo(401);
    }

    private static Map<String, String> headers(Map<String, String> signed) {
        Map<String, String> h = new HashMap<>(signed);
        h.put("content-type", "application/json");
        return h;
    }

    private static byte[] webhookBody(String requestId) {
        return ("{\"request_id\":\"" + requestId + "\",\"gateway_request_id\":\"" + requestId + "\",\"status\":\"ERROR\","
                + "\"payload\":{\"detail\":[{\"loc\":[\"body\",\"image_url\"],\"msg\":\"forced by the test\",\"type\":\"value_error\"}]},"
                + "\"error\":\"Invalid status code: 422\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> sign(KeyPair key, String requestId, long ts, byte[] body) throws Exception {
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key.getPrivate());
        s.update(String.join("\n", requestId, "falgate-local-user", Long.toString(ts), digest).getBytes(StandardCharsets.UTF_8));
        return Map.of("x-fal-webhook-request-id", requestId, "x-fal-webhook-user-id", "falgate-local-user",
                "x-fal-webhook-timestamp", Long.toString(ts), "x-fal-webhook-signature", HexFormat.of().formatHex(s.sign()));
    }

    /** Objects stored for these jobs (results and outputs are keyed by job id). */
    private int objectsOf(String... jobIds) {
        return (int) t.stack.s3().listObjectsV2Paginator(l -> l.bucket(flows.bucket())).contents().stream()
                .filter(o -> java.util.Arrays.stream(jobIds).anyMatch(id -> o.key().contains(id))).count();
    }

    private Map<String, AttributeValue> item(String jobId) {
        return t.stack.dynamoDb().getItem(g -> g.tableName(t.stack.jobsTable().orElseThrow()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("JOB#" + jobId), "sk", AttributeValue.fromS("JOB")))).item();
    }

    private long version(String jobId) {
        return Long.parseLong(item(jobId).get("version").n());
    }

    private String awaitRequestId(String jobId) {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            AttributeValue id = item(jobId).get("fal_request_id");
            if (id != null) {
                return id.s();
            }
            Api.pause(Duration.ofMillis(100));
        }
        throw new AssertionError("job " + jobId + " never got a fal request id");
    }

    static String randomRequestId() {
        return UUID.randomUUID().toString();
    }
}
