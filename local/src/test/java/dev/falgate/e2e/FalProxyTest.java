package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.auth.BrowserTokens;
import dev.falgate.config.SecretSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/fal/proxy} spoken as {@code @fal-ai/client} speaks it (the target in
 * {@code x-fal-target-url}), over real HTTP against the shared stack: the refusals (credentials,
 * hosts, models, tokens, bad input) and one queue round trip. The unmodified client itself runs
 * in {@link FalClientProxyTest}.
 */
class FalProxyTest extends SharedStackTest {
    private static final String PROXY = "/api/fal/proxy";
    private static final String QUEUE = "https://queue.fal.run/";

    private Api.Response proxy(String method, String credential, String target, String body) {
        Map<String, String> headers = new HashMap<>(Map.of("x-fal-target-url", target, "content-type", "application/json",
                "accept", "application/json"));
        if (credential != null) {
            headers.put("authorization", credential);
        }
        return api.call(method, PROXY, headers, body);
    }

    private String imageRef() {
        return flows.upload(TestStack.ACME_KEY, Images.png(16, 16), "image/png");
    }

    private String editInput() {
        return "{\"image_url\":\"" + imageRef() + "\"}";
    }

    @Test
    void aQueueSubmitIsAFalgateJobWhoseStatusAndResultComeBackInFalsShape() {
        Api.Response submitted = proxy("POST", "Key " + TestStack.ACME_KEY, QUEUE + PipelineTest.EDITOR, editInput());
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(200);
        String id = submitted.json().get("request_id").asText();
        assertThat(id).startsWith("job_");
        assertThat(submitted.json().get("status_url").asText())
                .isEqualTo(QUEUE + "fal-ai/post-processing/requests/" + id + "/status");

        JsonNode job = api.awaitTerminal(TestStack.ACME_KEY, id, Duration.ofSeconds(30));
        assertThat(job.get("status").asText()).isEqualTo("succeeded");
        Api.Response status = proxy("GET", "Bearer " + TestStack.ACME_KEY,
                QUEUE + "fal-ai/post-processing/requests/" + id + "/status?logs=1", null);
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().get("status").asText()).isEqualTo("COMPLETED");
        assertThat(status.json().get("logs").isArray()).isTrue();

        Api.Response result = proxy("GET", "Bearer " + TestStack.ACME_KEY, QUEUE + "fal-ai/post-processing/requests/" + id, null);
        assertThat(result.status()).as(result.text()).isEqualTo(200);
        assertThat(result.headers().get("x-fal-request-id")).containsExactly(id);
        assertThat(result.json().findValuesAsText("url")).isNotEmpty()
                .allSatisfy(url -> assertThat(url).contains("/falgate-filesbucket/outputs/acme/" + id + "/"));

        Api.Response listed = api.get("/v1/jobs?limit=20", TestStack.ACME_KEY);
        assertThat(listed.json().get("jobs").findValuesAsText("id")).contains(id);
        Api.Response foreign = proxy("GET", "Bearer " + TestStack.GLOBEX_KEY, QUEUE + "fal-ai/post-processing/requests/" + id, null);
        assertThat(foreign.status()).isEqualTo(404);
    }

    /** A send fal refuses for now (429): the job, which has no poll message while fal has it, gets its first poll and is sent again. */
    @Test
    void aQueueSubmitFalRefusesForNowIsPolledAndSentAgain() {
        TestStack t = TestStack.get();
        long submitsBefore = t.fal.stats().totals().submits();
        t.fal.faults().replace(dev.falgate.emulator.faults.FaultSettings.parse(
                "{\"knobs\": {\"submit_http_error\": {\"count\": 1, \"status\": 429}}}"));
        String id;
        try {
            Api.Response submitted = proxy("POST", "Key " + TestStack.ACME_KEY, QUEUE + PipelineTest.EDITOR, editInput());
            assertThat(submitted.status()).as(submitted.text()).isEqualTo(200);
            id = submitted.json().get("request_id").asText();
        } finally {
            t.fal.faults().replace(dev.falgate.emulator.faults.FaultSettings.none());
        }
        JsonNode job = api.awaitTerminal(TestStack.ACME_KEY, id, Duration.ofSeconds(30));
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(t.fal.stats().totals().submits() - submitsBefore).as("accepted once, by the poll path's send").isEqualTo(1);
    }

    @Test
    void onlyFalsHostsAndTheCatalogsModelsAreReachable() {
        Api.Response otherHost = proxy("POST", "Bearer " + TestStack.ACME_KEY, "https://example.com/fal-ai/trellis", "{}");
        assertThat(otherHost.status()).isEqualTo(403);
        assertThat(otherHost.json().get("detail").asText()).contains("example.com");

        Api.Response notInCatalog = proxy("POST", "Bearer " + TestStack.ACME_KEY, QUEUE + "fal-ai/flux/dev", "{\"prompt\":\"x\"}");
        assertThat(notInCatalog.status()).isEqualTo(403);
        assertThat(notInCatalog.json().get("detail").asText()).contains("fal-ai/flux/dev");

        Api.Response plainHttp = proxy("POST", "Bearer " + TestStack.ACME_KEY, "http://queue.fal.run/" + PipelineTest.EDITOR, "{}");
        assertThat(plainHttp.status()).isEqualTo(403);
        Api.Response stream = proxy("POST", "Bearer " + TestStack.ACME_KEY, "https://fal.run/" + PipelineTest.EDITOR + "/stream", "{}");
        assertThat(stream.status()).isEqualTo(400);
        assertThat(stream.json().get("detail").asText()).contains("streaming");
        Api.Response multipart = proxy("POST", "Bearer " + TestStack.ACME_KEY,
                "https://rest.fal.ai/storage/upload/initiate-multipart?storage_type=fal-cdn-v3", "{\"content_type\":\"image/png\"}");
        assertThat(multipart.status()).isEqualTo(413);
    }

    @Test
    void withoutValidCredentialsItIs401() {
        assertThat(proxy("POST", null, QUEUE + PipelineTest.EDITOR, "{}").status()).isEqualTo(401);
        assertThat(proxy("POST", "Bearer fg_not_a_key", QUEUE + PipelineTest.EDITOR, "{}").status()).isEqualTo(401);
        assertThat(proxy("POST", "Bearer fgt_forged.tag", QUEUE + PipelineTest.EDITOR, "{}").status()).isEqualTo(401);
    }

    @Test
    void aTokenServesItsModelsOnlyAndCannotMintTokens() {
        Api.Response minted = api.post("/v1/tokens", TestStack.ACME_KEY,
                Map.of("models", List.of(PipelineTest.EDITOR), "ttl_seconds", 60));
        assertThat(minted.status()).as(minted.text()).isEqualTo(201);
        String token = minted.json().get("token").asText();
        assertThat(Instant.parse(minted.json().get("expires_at").asText()))
                .isBetween(Instant.now().plusSeconds(50), Instant.now().plusSeconds(70));

        Api.Response allowed = proxy("POST", "Bearer " + token, QUEUE + PipelineTest.EDITOR, editInput());
        assertThat(allowed.status()).as(allowed.text()).isEqualTo(200);
        Api.Response asKey = proxy("GET", "Key " + token, QUEUE + "fal-ai/post-processing/requests/"
                + allowed.json().get("request_id").asText() + "/status", null);
        assertThat(asKey.status()).as(asKey.text()).isIn(200, 202);
        Api.Response otherModel = proxy("POST", "Bearer " + token, QUEUE + PipelineTest.MESH, editInput());
        assertThat(otherModel.status()).isEqualTo(403);
        assertThat(otherModel.json().get("detail").asText()).contains(PipelineTest.MESH);

        assertThat(api.post("/v1/tokens", token, Map.of()).status()).as("a token cannot mint tokens").isEqualTo(401);
        Api.Response tooLong = api.post("/v1/tokens", TestStack.ACME_KEY, Map.of("ttl_seconds", 3601));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().at("/error/details/0/field").asText()).isEqualTo("ttl_seconds");
        Api.Response unknownModel = api.post("/v1/tokens", TestStack.ACME_KEY, Map.of("models", List.of("fal-ai/flux/dev")));
        assertThat(unknownModel.json().at("/error/details/0/field").asText()).isEqualTo("models[0]");
    }

    @Test
    void anExpiredTokenIsRefused() {
        SecretSource secret = SecretSource.of(t.stack.environment("FalProxyFunction").get("WEBHOOK_SECRET"));
        Instant minted = Instant.now().minus(Duration.ofHours(2));
        String expired = new BrowserTokens(secret, Clock.fixed(minted, ZoneOffset.UTC))
                .mint("acme", List.of(), BrowserTokens.MAX_TTL_SECONDS);
        String valid = new BrowserTokens(secret, Clock.systemUTC()).mint("acme", List.of(), 60);

        assertThat(proxy("POST", "Bearer " + expired, QUEUE + PipelineTest.EDITOR, editInput()).status()).isEqualTo(401);
        assertThat(proxy("POST", "Bearer " + valid, QUEUE + PipelineTest.EDITOR, editInput()).status()).isEqualTo(200);
    }

    @Test
    void badInputIsA422NamingTheFieldAndNeverReachesFal() {
        long before = t.fal.stats().model(PipelineTest.EDITOR).submits();
        Api.Response r = proxy("POST", "Bearer " + TestStack.ACME_KEY, QUEUE + PipelineTest.EDITOR,
                "{\"image_url\":\"ftp://example.com/a.png\",\"sharpen_radius\":\"big\"}");

        assertThat(r.status()).as(r.text()).isEqualTo(422);
        assertThat(r.json().get("detail").findValuesAsText("type")).isNotEmpty();
        assertThat(r.json().get("detail").findValues("loc")).extracting(JsonNode::toString)
                .contains("[\"body\",\"image_url\"]", "[\"body\",\"sharpen_radius\"]");
        assertThat(t.fal.stats().model(PipelineTest.EDITOR).submits()).isEqualTo(before);
    }

    @Test
    void anUploadThroughFalsStorageInitiateIsAnInputOfItsTenantOnly() {
        Api.Response initiated = proxy("POST", "Bearer " + TestStack.ACME_KEY,
                "https://rest.fal.ai/storage/upload/initiate?storage_type=fal-cdn-v3",
                "{\"content_type\":\"image/png\",\"file_name\":\"a.png\"}");
        assertThat(initiated.status()).as(initiated.text()).isEqualTo(200);
        String fileUrl = initiated.json().get("file_url").asText();
        assertThat(api.put(initiated.json().get("upload_url").asText(), "image/png", Images.png(16, 16)).status()).isEqualTo(200);

        String input = "{\"image_url\":\"" + fileUrl + "\"}";
        Api.Response foreign = proxy("POST", "Bearer " + TestStack.GLOBEX_KEY, QUEUE + PipelineTest.EDITOR, input);
        assertThat(foreign.status()).isEqualTo(422);
        Api.Response own = proxy("POST", "Bearer " + TestStack.ACME_KEY, QUEUE + PipelineTest.EDITOR, input);
        assertThat(own.status()).as(own.text()).isEqualTo(200);
        JsonNode job = api.awaitTerminal(TestStack.ACME_KEY, own.json().get("request_id").asText(), Duration.ofSeconds(30));
        assertThat(job.at("/input_files/0/size").asLong()).isEqualTo(Images.png(16, 16).length);
    }

    /** fal's initiate names no size: the size is checked on use, and a file refused then is deleted (an empty one here; over 100 MiB alike). */
    @Test
    void anUploadOfNoAcceptableSizeIsRefusedWhenUsedAndDeleted() {
        Api.Response initiated = proxy("POST", "Bearer " + TestStack.ACME_KEY,
                "https://rest.fal.ai/storage/upload/initiate?storage_type=fal-cdn-v3", "{\"content_type\":\"image/png\"}");
        String fileUrl = initiated.json().get("file_url").asText();
        assertThat(api.put(initiated.json().get("upload_url").asText(), "image/png", new byte[0]).status()).isEqualTo(200);
        String key = "uploads/acme/" + fileUrl.substring("upload://".length()) + ".png";
        String bucket = t.stack.template().bucket("FilesBucket").bucketName();
        assertThat(t.stack.s3().listObjectsV2(r -> r.bucket(bucket).prefix(key)).keyCount()).isEqualTo(1);

        Api.Response refused = proxy("POST", "Bearer " + TestStack.ACME_KEY, QUEUE + PipelineTest.EDITOR,
                "{\"image_url\":\"" + fileUrl + "\"}");
        assertThat(refused.status()).as(refused.text()).isEqualTo(422);
        assertThat(refused.json().at("/detail/0/loc").toString()).isEqualTo("[\"body\",\"image_url\"]");
        assertThat(t.stack.s3().listObjectsV2(r -> r.bucket(bucket).prefix(key)).keyCount()).isZero();
    }
}
