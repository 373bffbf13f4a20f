package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.emulator.ModelCounts;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * What the web page reads beyond the job API: fal's progress (cached, only when asked),
 * input files, thumbnails, downloads under their names, the CSP header.
 */
class PageApiTest extends SharedStackTest {

    @Test
    void progressShowsTheQueuePositionOfAHeldJobAndTheLogOfARunningOneAtOneFalCallPerTwoSeconds() {
        flows.awaitNoPendingJobs();
        String ref = flows.upload(TestStack.ACME_KEY, Images.png(32, 32), "image/png");
        t.fal.setConcurrency(1);
        t.fal.setSpeed(4); // a 3D job waits ~3 s in the queue, then runs ~19 s: the second waits behind it
        String running = flows.submit(TestStack.ACME_KEY, PipelineTest.MESH, Map.of("image_url", ref)).get("id").asText();
        String held = flows.submit(TestStack.ACME_KEY, PipelineTest.MESH, Map.of("image_url", ref)).get("id").asText();
        try {
            JsonNode queued = awaitProgress(held, p -> p.get("queue_position").isInt());
            assertThat(queued.get("queue_position").asInt()).isNotNegative();
            assertThat(queued.get("updated_at").asText()).matches(JobsApiTest.RFC3339_MILLIS);
            JsonNode log = awaitProgress(running, p -> p.get("logs").size() > 0);
            assertThat(log.get("queue_position").isNull()).isTrue();
            assertThat(log.get("logs").findValuesAsText("message")).contains("Running " + PipelineTest.MESH);
            assertThat(log.at("/logs/0/at").asText()).matches(JobsApiTest.RFC3339_MILLIS);

            assertThat(twoReadsMakeOneFalCall(held)).as("two reads in one 2 s window: one fal status call").isTrue();
            Api.Response foreign = api.get("/v1/jobs/" + held + "/progress", TestStack.GLOBEX_KEY);
            assertThat(foreign.status()).as("another tenant's job").isEqualTo(404);
        } finally {
            for (String id : new String[] {running, held}) {
                api.post("/v1/jobs/" + id + "/cancel", TestStack.ACME_KEY, "{}");
            }
        }
        JsonNode finished = progress(running);
        assertThat(finished.get("status").asText()).isEqualTo("canceled");
        assertThat(finished.get("queue_position").isNull()).isTrue();
        assertThat(finished.get("logs").findValuesAsText("message")).as("the last lines seen stay").contains("Running " + PipelineTest.MESH);
    }

    /**
     * Two reads back to back, where the first took a fresh snapshot from fal: the second must
     * be that same snapshot, and fal must have seen one status call. The poller polls the same
     * job now and then, so a window it also polled in is tried again (it can only add calls,
     * never make two reads look like one).
     */
    private boolean twoReadsMakeOneFalCall(String jobId) {
        for (int attempt = 0; attempt < 12; attempt++) {
            long before = statusPolls();
            Instant asked = Instant.now().minusMillis(5);
            JsonNode first = progress(jobId);
            JsonNode second = progress(jobId);
            long calls = statusPolls() - before;
            boolean fresh = !Instant.parse(first.get("updated_at").asText()).isBefore(asked);
            if (fresh) {
                assertThat(second.get("updated_at")).as("the second read is served the first's snapshot").isEqualTo(first.get("updated_at"));
                if (calls == 1) {
                    return true;
                }
            }
            Api.pause(Duration.ofMillis(700));
        }
        return false;
    }

    @Test
    void readingAndListingJobsNeverCallsFal() {
        String ref = flows.upload(TestStack.ACME_KEY, Images.png(32, 32), "image/png");
        String id = flows.submit(TestStack.ACME_KEY, PipelineTest.EDITOR, Map.of("image_url", ref)).get("id").asText();
        api.awaitTerminal(TestStack.ACME_KEY, id, PipelineTest.WITHIN);
        flows.awaitNoPendingJobs();
        ModelCounts before = t.fal.stats().totals();
        for (int i = 0; i < 3; i++) {
            assertThat(api.get("/v1/jobs/" + id, TestStack.ACME_KEY).status()).isEqualTo(200);
            assertThat(api.get("/v1/jobs?limit=50", TestStack.ACME_KEY).status()).isEqualTo(200);
            assertThat(api.get("/v1/jobs/" + id + "/progress", TestStack.ACME_KEY).status()).as("finished: no fal call either").isEqualTo(200);
        }
        assertThat(t.fal.stats().totals()).isEqualTo(before);
    }

    @Test
    void inputsThumbnailsAndDownloadsSaveUnderTheirNames() {
        byte[] png = Images.png(640, 400);
        String ref = flows.upload(TestStack.ACME_KEY, png, "image/png"); // named in.png
        String id = flows.submit(TestStack.ACME_KEY, PipelineTest.EDITOR, Map.of("image_url", ref)).get("id").asText();
        JsonNode job = api.awaitTerminal(TestStack.ACME_KEY, id, PipelineTest.WITHIN);
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");

        JsonNode input = job.at("/input_files/0");
        assertThat(job.get("input_files")).hasSize(1);
        assertThat(input.get("field").asText()).isEqualTo("image_url");
        assertThat(input.get("content_type").asText()).isEqualTo("image/png");
        assertThat(input.get("size").asLong()).isEqualTo(png.length);
        Api.Response inputDownload = api.download(input.get("url").asText());
        assertThat(inputDownload.body()).isEqualTo(png);
        assertThat(inputDownload.headers().get("content-disposition")).containsExactly("attachment; filename=\"in.png\"");

        JsonNode output = job.at("/files/0");
        byte[] full = flows.downloadChecked(output);
        assertThat(output.get("file_name").asText()).isNotBlank();
        assertThat(api.download(output.get("url").asText()).headers().get("content-disposition"))
                .singleElement().asString().contains("filename=\"" + output.get("file_name").asText() + "\"");
        Api.Response thumb = api.download(output.get("thumbnail_url").asText());
        assertThat(thumb.status()).isEqualTo(200);
        BufferedImage small = Images.decode(thumb.body());
        assertThat(Math.max(small.getWidth(), small.getHeight())).isEqualTo(256);
        assertThat(small.getWidth() * 400).isCloseTo(small.getHeight() * 640, org.assertj.core.data.Offset.offset(640));
        assertThat(thumb.body().length).isLessThan(full.length);
    }

    @Test
    void thePageSendsItsCspNamingTheBucketsOrigin() {
        String ref = flows.upload(TestStack.ACME_KEY, Images.png(16, 16), "image/png");
        String fileUrl = flows.submit(TestStack.ACME_KEY, PipelineTest.EDITOR, Map.of("image_url", ref)).at("/input_files/0/url").asText();
        URI bucket = URI.create(fileUrl);
        String origin = bucket.getScheme() + "://" + bucket.getHost() + ":" + bucket.getPort();

        Api.Response page = api.get("/", null);
        String csp = page.headers().get("content-security-policy").get(0);
        assertThat(csp).contains("img-src 'self' " + origin + " ").contains("connect-src 'self' " + origin + " ")
                .contains("media-src 'self' " + origin + ";").contains("frame-ancestors 'none'")
                .doesNotContain("https:;").doesNotContain("http:;");
        assertThat(api.get("/ui/app.js", null).headers().get("content-security-policy")).containsExactly(csp);
        assertThat(api.get("/ui/vendor/no-such-file.js", null).status()).isEqualTo(404);
    }

    private JsonNode progress(String jobId) {
        Api.Response r = api.get("/v1/jobs/" + jobId + "/progress", TestStack.ACME_KEY);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    private JsonNode awaitProgress(String jobId, Predicate<JsonNode> seen) {
        Instant deadline = Instant.now().plus(PipelineTest.WITHIN);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = progress(jobId);
            if (seen.test(last)) {
                return last;
            }
            Api.pause(Duration.ofMillis(300));
        }
        throw new AssertionError("progress of " + jobId + " never got there; last: " + last);
    }

    private long statusPolls() {
        return t.fal.stats().model(PipelineTest.MESH).statusPolls();
    }
}
