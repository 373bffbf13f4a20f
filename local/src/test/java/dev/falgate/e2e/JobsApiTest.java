package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The job API's contract: shapes, paging, cancel, and refusals that cost nothing. */
class JobsApiTest extends SharedStackTest {
    static final Pattern RFC3339_MILLIS = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

    @Test
    void aJobHasEveryFieldWithNullsNotOmissions() {
        String ref = flows.upload(TestStack.ACME_KEY, Images.png(16, 16), "image/png");
        JsonNode job = flows.submit(TestStack.ACME_KEY, PipelineTest.EDITOR,
                Map.of("image_url", ref));
        assertThat(job.get("id").asText()).matches("job_[0-9A-HJKMNP-TV-Z]{26}");
        for (String field : List.of("id", "model", "status", "created_at", "updated_at", "completed_at", "input",
                "files", "output", "error", "metadata", "events", "webhook_deliveries")) {
            assertThat(job.has(field)).as(field).isTrue();
        }
        assertThat(job.get("completed_at").isNull()).isTrue();
        assertThat(job.get("created_at").asText()).matches(RFC3339_MILLIS);
        assertThat(job.at("/input/image_url").asText()).isEqualTo(ref);
        JsonNode done = api.awaitTerminal(TestStack.ACME_KEY, job.get("id").asText(), PipelineTest.WITHIN);
        assertThat(done.get("completed_at").asText()).matches(RFC3339_MILLIS);
        assertThat(done.at("/files/0/expires_at").asText()).matches(RFC3339_MILLIS);
    }

    @Test
    void anUnknownRouteAnswersTheErrorEnvelopeThroughTheDefaultRoute() {
        for (Api.Response r : List.of(api.get("/v1/job", TestStack.ACME_KEY), api.get("/nowhere/at/all", null),
                api.delete("/v1/models", TestStack.ACME_KEY), api.post("/v1/jobs/x/y", TestStack.ACME_KEY, "{}"))) {
            assertThat(r.status()).as(r.text()).isEqualTo(404);
            assertThat(r.headers().get("content-type")).as(r.text()).anyMatch(v -> v.startsWith("application/json"));
            assertThat(r.json().at("/error/code").asText()).as(r.text()).isEqualTo("not_found");
            assertThat(r.json().has("message")).as("not API Gateway's own body").isFalse();
        }
        assertThat(api.get("/v1/job", null).json().at("/error/message").asText()).isEqualTo("no route GET /v1/job");
    }

    @Test
    void listsPageNewestFirstThroughTheCursorWithoutRepeats() {
        String ref = flows.upload(TestStack.GLOBEX_KEY, Images.png(16, 16), "image/png");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(flows.submit(TestStack.GLOBEX_KEY, PipelineTest.EDITOR, Map.of("image_url", ref)).get("id").asText());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Api.Response r = api.get("/v1/jobs?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), TestStack.GLOBEX_KEY);
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            JsonNode page = r.json();
            assertThat(page.get("jobs").size()).isLessThanOrEqualTo(2);
            page.get("jobs").forEach(j -> seen.add(j.get("id").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            pages++;
        } while (cursor != null && pages < 100);
        assertThat(seen).doesNotHaveDuplicates().containsAll(created);
        assertThat(seen).isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(api.get("/v1/jobs?limit=0", TestStack.GLOBEX_KEY).status()).isEqualTo(400);
        assertThat(api.get("/v1/jobs?limit=101", TestStack.GLOBEX_KEY).json().at("/error/details/0/field").asText())
                .isEqualTo("limit");
        assertThat(api.get("/v1/jobs?model=" + PipelineTest.EDITOR + "&limit=100", TestStack.GLOBEX_KEY).json()
                .get("jobs").findValuesAsText("model")).containsOnly(PipelineTest.EDITOR);
    }

    @Test
    void cancelStopsAPendingJobOnceAndRefusesAFinishedOne() {
        String ref = flows.upload(TestStack.ACME_KEY, Images.png(16, 16), "image/png");
        String finished = flows.submit(TestStack.ACME_KEY, PipelineTest.EDITOR, Map.of("image_url", ref)).get("id").asText();
        assertThat(api.awaitTerminal(TestStack.ACME_KEY, finished, PipelineTest.WITHIN).get("status").asText()).isEqualTo("succeeded");
        t.fal.setSpeed(0.01);
        String pending = flows.submit(TestStack.ACME_KEY, PipelineTest.MESH, Map.of("image_url", ref)).get("id").asText();
        long cancelsBefore = t.fal.stats().model(PipelineTest.MESH).cancels();

        Api.Response first = api.post("/v1/jobs/" + pending + "/cancel", TestStack.ACME_KEY, "{}");
        assertThat(first.status()).as(first.text()).isEqualTo(200);
        assertThat(first.json().get("status").asText()).isEqualTo("canceled");
        assertThat(PipelineTest.last(first.json().get("events")).get("source").asText()).isEqualTo("cancel");
        assertThat(t.fal.stats().model(PipelineTest.MESH).cancels()).isEqualTo(cancelsBefore + 1);
        Api.Response again = api.post("/v1/jobs/" + pending + "/cancel", TestStack.ACME_KEY, "{}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("events")).isEqualTo(first.json().get("events"));

        // fal answers a cancel with a client_cancelled result at once, and an image job is finished
        // where its result is recorded: the cancel must still win (it once lost with a 409 "failed")
        String image = flows.submit(TestStack.ACME_KEY, PipelineTest.EDITOR, Map.of("image_url", ref)).get("id").asText();
        Api.Response imageCanceled = api.post("/v1/jobs/" + image + "/cancel", TestStack.ACME_KEY, "{}");
        assertThat(imageCanceled.status()).as(imageCanceled.text()).isEqualTo(200);
        assertThat(imageCanceled.json().get("status").asText()).isEqualTo("canceled");

        Api.Response late = api.post("/v1/jobs/" + finished + "/cancel", TestStack.ACME_KEY, "{}");
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.json().at("/error/code").asText()).isEqualTo("not_cancelable");
    }

    @Test
    void badInputIsRefusedWithEveryFieldNamedAndReachesNeitherFalNorS3() {
        flows.awaitNoPendingJobs();
        long submits = t.fal.stats().totals().submits();
        int objects = flows.objectCount();
        Api.Response r = api.post("/v1/jobs", TestStack.ACME_KEY, Map.of("model", PipelineTest.MESH,
                "input", Map.of("ss_sampling_steps", "twelve", "texture_size", 999, "colour", "red",
                        "image_url", "https://10.0.0.5/cat.png")));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("validation_failed");
        assertThat(r.json().at("/error/details").findValuesAsText("field")).containsExactlyInAnyOrder(
                "input.ss_sampling_steps", "input.texture_size", "input.colour", "input.image_url");
        Api.Response url = api.post("/v1/jobs", TestStack.ACME_KEY, Map.of("model", PipelineTest.MESH,
                "input", Map.of("image_url", "http://169.254.169.254/latest/meta-data/")));
        assertThat(url.json().at("/error/details/0/code").asText()).isEqualTo("url_not_allowed");
        Api.Response noModel = api.post("/v1/jobs", TestStack.ACME_KEY, Map.of("model", "acme/nope", "input", Map.of()));
        assertThat(noModel.json().at("/error/details/0/field").asText()).isEqualTo("model");
        Api.Response notJson = api.post("/v1/jobs", TestStack.ACME_KEY, "{not json");
        assertThat(notJson.json().at("/error/code").asText()).isEqualTo("invalid_json");
        assertThat(t.fal.stats().totals().submits()).isEqualTo(submits);
        assertThat(flows.objectCount()).isEqualTo(objects);
    }

    @Test
    void thePresignedPutIsBoundToItsContentTypeAndLength() {
        byte[] png = Images.png(16, 16);
        JsonNode u = api.post("/v1/uploads", TestStack.ACME_KEY,
                Map.of("content_type", "image/png", "size", png.length)).json();
        String url = u.get("url").asText();
        assertThat(api.put(url, "image/jpeg", png).status()).as("other content type").isEqualTo(403);
        assertThat(api.put(url, "image/png", java.util.Arrays.copyOf(png, png.length + 1)).status())
                .as("other length").isEqualTo(403);
        assertThat(api.put(url, "image/png", png).status()).isEqualTo(200);
        assertThat(java.net.URI.create(url).getPath()).as("written under the tenant's prefix").contains("/uploads/acme/");
        java.time.Instant urlExpiry = java.time.Instant.parse(u.get("url_expires_at").asText());
        assertThat(urlExpiry).isBefore(java.time.Instant.now().plus(Duration.ofMinutes(16)));
        assertThat(java.time.Instant.parse(u.get("expires_at").asText()))
                .isAfter(java.time.Instant.now().plus(Duration.ofHours(23)));
        assertBrowserMayPut(url);
        Api.Response bad = api.post("/v1/uploads", TestStack.ACME_KEY, Map.of("content_type", "text/html", "size", -1));
        assertThat(bad.json().at("/error/details").findValuesAsText("field")).containsExactlyInAnyOrder("content_type", "size");
    }

    @Test
    void deleteRemovesAFinishedJobAndItsFilesButNotAPendingOne() {
        String ref = flows.upload(TestStack.ACME_KEY, Images.png(16, 16), "image/png");
        String done = flows.submit(TestStack.ACME_KEY, PipelineTest.EDITOR, Map.of("image_url", ref)).get("id").asText();
        JsonNode finished = api.awaitTerminal(TestStack.ACME_KEY, done, PipelineTest.WITHIN);
        assertThat(objectsOf(done)).isPositive();
        assertThat(api.delete("/v1/jobs/" + done, TestStack.GLOBEX_KEY).status()).as("another tenant's").isEqualTo(404);

        Api.Response deleted = api.delete("/v1/jobs/" + done, TestStack.ACME_KEY);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(api.get("/v1/jobs/" + done, TestStack.ACME_KEY).status()).isEqualTo(404);
        assertThat(objectsOf(done)).as("outputs and raw result removed").isZero();
        assertThat(api.download(finished.at("/files/0/url").asText()).status()).isEqualTo(404);
        assertThat(api.delete("/v1/jobs/" + done, TestStack.ACME_KEY).status()).isEqualTo(404);

        t.fal.setSpeed(0.01);
        String pending = flows.submit(TestStack.ACME_KEY, PipelineTest.MESH, Map.of("image_url", ref)).get("id").asText();
        Api.Response refused = api.delete("/v1/jobs/" + pending, TestStack.ACME_KEY);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().at("/error/code").asText()).isEqualTo("not_finished");
        api.post("/v1/jobs/" + pending + "/cancel", TestStack.ACME_KEY, "{}");
    }

    private int objectsOf(String jobId) {
        return (int) t.stack.s3().listObjectsV2Paginator(l -> l.bucket(flows.bucket())).contents().stream()
                .filter(o -> o.key().contains(jobId)).count();
    }

    /** The web page's origin (the API's) passes the bucket's CORS preflight for the PUT. */
    private void assertBrowserMayPut(String url) {
        try {
            String origin = "http://localhost:" + t.stack.apiUrl().getPort();
            java.net.http.HttpResponse<String> preflight = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                            .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                            .header("Origin", origin).header("Access-Control-Request-Method", "PUT")
                            .header("Access-Control-Request-Headers", "content-type").build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(preflight.statusCode()).isEqualTo(200);
            assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValueSatisfying(
                    v -> assertThat(v).isIn(origin, "*"));
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theWebPageIsServedAtTheRoot() {
        Api.Response page = api.get("/", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers().get("content-type").get(0)).startsWith("text/html");
        assertThat(page.text()).contains("/ui/");
    }

    static Duration within() {
        return PipelineTest.WITHIN;
    }
}
