package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.emulator.ModelCounts;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The whole pipeline over real HTTP: upload through a presigned URL, submit, fal (emulated)
 * runs the job, the webhook or the poller brings the result, outputs land in our S3.
 */
class PipelineTest {
    static final String EDITOR = "fal-ai/post-processing/sharpen";
    static final String MESH = "fal-ai/trellis";
    static final Duration WITHIN = Duration.ofSeconds(90);

    private final TestStack t = TestStack.get();
    private final Api api = t.api;

    @Test
    void anImageEditorAndA3dModelBothSucceedWithTheirFilesInOurBucket() {
        byte[] png = Images.png(96, 64);
        String ref = upload(TestStack.ACME_KEY, png, "image/png");

        JsonNode editJob = submit(TestStack.ACME_KEY, EDITOR, Map.of("image_url", ref));
        JsonNode meshJob = submit(TestStack.ACME_KEY, MESH, Map.of("image_url", ref));
        JsonNode edit = api.awaitTerminal(TestStack.ACME_KEY, editJob.get("id").asText(), WITHIN);
        JsonNode mesh = api.awaitTerminal(TestStack.ACME_KEY, meshJob.get("id").asText(), WITHIN);
        assertThat(edit.get("status").asText()).as(edit.toString()).isEqualTo("succeeded");
        assertThat(mesh.get("status").asText()).as(mesh.toString()).isEqualTo("succeeded");

        JsonNode image = edit.get("files").get(0);
        BufferedImage edited = Images.decode(downloadChecked(image));
        BufferedImage original = Images.decode(png);
        assertThat(edited.getWidth()).isEqualTo(96);
        assertThat(edited.getHeight()).isEqualTo(64);
        assertThat(image.get("width").asInt()).isEqualTo(96);
        assertThat(image.get("height").asInt()).isEqualTo(64);
        assertThat(Images.differingPixels(original, edited)).isGreaterThan(96 * 64 / 10);

        JsonNode glbFile = fileOfType(mesh, "model/gltf-binary");
        Glb glb = Glb.parse(downloadChecked(glbFile));
        JsonNode attributes = glb.json().at("/meshes/0/primitives/0/attributes");
        assertThat(attributes.has("POSITION")).as(glb.json().toString()).isTrue();
        JsonNode position = glb.json().path("accessors").get(attributes.get("POSITION").asInt());
        assertThat(position.path("type").asText()).isEqualTo("VEC3");
        assertThat(position.path("count").asInt()).isPositive();
        BufferedImage texture = Images.decode(glb.baseColorImage());
        assertThat(texture.getWidth()).isPositive();

        for (JsonNode job : List.of(edit, mesh)) {
            for (JsonNode f : job.get("files")) {
                downloadChecked(f);
            }
            assertThat(job.toString()).as("no fal (emulator) URL survives in the job")
                    .doesNotContain(t.fal.baseUrl().getAuthority())
                    .doesNotContain("falgate-file:");
            assertThat(job.get("events").get(0).get("source").asText()).isEqualTo("submit");
        }
        assertThat(edit.get("output").toString()).contains(image.get("url").asText());
    }

    /**
     * An image job's webhook copies the output and then records the result and the end in one
     * write: the item is ended, out of the sweep index, listed as succeeded, its file under the
     * folder of its fal request, and the end is the job's one {@code succeeded} event.
     */
    @Test
    void anImageJobsWebhookEndsItWithOneWriteAfterTheCopy() {
        String ref = upload(TestStack.ACME_KEY, Images.png(40, 30), "image/png");
        String id = submit(TestStack.ACME_KEY, EDITOR, Map.of("image_url", ref)).get("id").asText();
        JsonNode job = api.awaitTerminal(TestStack.ACME_KEY, id, WITHIN);
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.get("events").findValuesAsText("status")).containsExactly("queued", "succeeded");
        assertThat(last(job.get("events")).get("source").asText()).isEqualTo("webhook");
        downloadChecked(job.get("files").get(0));

        String table = t.stack.environment("ReadFunction").get("JOBS_TABLE");
        java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = t.stack.dynamoDb()
                .getItem(g -> g.tableName(table).consistentRead(true).key(Map.of(
                        "pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("JOB#" + id),
                        "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("JOB")))).item();
        assertThat(item).as("an ended job leaves the sweep index").doesNotContainKeys("sweep_at", "sweep_pk")
                .containsKeys("end_event", "ttl", "completed_at", "result_inline");
        assertThat(item.get("result_source").s()).isEqualTo("webhook");
        assertThat(item.get("gsi2pk").s()).isEqualTo("T#acme#S#succeeded");
        assertThat(item.get("files").s()).contains("outputs/acme/" + id + "/" + item.get("fal_request_id").s() + "/");
        assertThat(api.get("/v1/jobs?status=succeeded&limit=100", TestStack.ACME_KEY).json().get("jobs")
                .findValuesAsText("id")).as("listed by its new status").contains(id);
    }

    @Test
    void withWebhooksDroppedThePollerFinishesEachJobWithOneResultRead() {
        String ref = upload(TestStack.ACME_KEY, Images.png(40, 40), "image/png");
        // models no other test uses, so their counters speak of these jobs only
        Map<String, String> imageField = Map.of("fal-ai/image-editing/color-correction", "image_url",
                "fal-ai/hunyuan3d/v2/turbo", "input_image_url");
        List<String> models = List.copyOf(imageField.keySet());
        Map<String, ModelCounts> before = countsOf(models);
        t.fal.setDropWebhooks(true);
        List<JsonNode> done = new ArrayList<>();
        try {
            List<String> ids = new ArrayList<>();
            for (String model : models) {
                ids.add(submit(TestStack.ACME_KEY, model, Map.of(imageField.get(model), ref)).get("id").asText());
            }
            for (String id : ids) {
                done.add(api.awaitTerminal(TestStack.ACME_KEY, id, WITHIN));
            }
        } finally {
            t.fal.setDropWebhooks(false);
        }
        for (JsonNode job : done) {
            assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
            assertThat(last(job.get("events")).get("source").asText()).isEqualTo("poller");
            assertThat(job.get("files")).isNotEmpty();
        }
        for (String model : models) {
            ModelCounts after = t.fal.stats().model(model);
            ModelCounts was = before.get(model);
            assertThat(after.webhooksSent() - was.webhooksSent()).as(model + " webhooks sent").isZero();
            assertThat(after.webhooksAcknowledged() - was.webhooksAcknowledged()).isZero();
            assertThat(after.webhooksDropped() - was.webhooksDropped()).as(model + " webhooks dropped").isEqualTo(1);
            assertThat(after.resultReads() - was.resultReads()).as(model + " result reads").isEqualTo(1);
            assertThat(after.submits() - was.submits()).isEqualTo(1);
        }
    }

    @Test
    void aDataUriInputIsStoredAsAnUploadOfTheTenant() {
        String dataUri = "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(Images.png(32, 24));
        JsonNode job = submit(TestStack.ACME_KEY, EDITOR, Map.of("image_url", dataUri));
        assertThat(job.at("/input/image_url").asText()).startsWith("upload://upl_");
        JsonNode done = api.awaitTerminal(TestStack.ACME_KEY, job.get("id").asText(), WITHIN);
        assertThat(done.get("status").asText()).isEqualTo("succeeded");
        assertThat(done.at("/files/0/width").asInt()).isEqualTo(32);
    }

    // --- helpers shared by the e2e tests ---

    String upload(String key, byte[] bytes, String contentType) {
        Api.Response r = api.post("/v1/uploads", key,
                Map.of("content_type", contentType, "size", bytes.length, "file_name", "in.png"));
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        JsonNode u = r.json();
        assertThat(u.get("method").asText()).isEqualTo("PUT");
        Api.Response put = api.put(u.get("url").asText(), contentType, bytes);
        assertThat(put.status()).as(put.text()).isEqualTo(200);
        return u.get("ref").asText();
    }

    JsonNode submit(String key, String model, Map<String, Object> input) {
        ObjectNode body = Api.JSON.createObjectNode().put("model", model);
        body.set("input", Api.JSON.valueToTree(input));
        Api.Response r = api.post("/v1/jobs", key, body);
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        return r.json();
    }

    /** Downloads a job file and checks its size against the record and the S3 object. */
    byte[] downloadChecked(JsonNode file) {
        Api.Response r = api.download(file.get("url").asText());
        assertThat(r.status()).isEqualTo(200);
        long recorded = file.get("size").asLong();
        assertThat((long) r.body().length).as(file.get("field").asText() + " bytes served").isEqualTo(recorded);
        HeadObjectResponse head = t.stack.s3().headObject(h -> h.bucket(bucket()).key(keyOf(file)));
        assertThat(head.contentLength()).as("S3 object length").isEqualTo(recorded);
        return r.body();
    }

    String bucket() {
        return t.stack.environment("ReadFunction").get("FILES_BUCKET");
    }

    /** The S3 key behind a presigned URL (path-style: /bucket/key). */
    String keyOf(JsonNode file) {
        String path = java.net.URI.create(file.get("url").asText()).getRawPath();
        String prefix = "/" + bucket() + "/";
        return java.net.URLDecoder.decode(path.substring(prefix.length()), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Waits until no job of either tenant is queued or running, so that nothing finishing in the
     * background writes to S3 while a test counts objects.
     */
    void awaitNoPendingJobs() {
        java.time.Instant deadline = java.time.Instant.now().plus(WITHIN);
        while (java.time.Instant.now().isBefore(deadline)) {
            boolean pending = false;
            for (String key : List.of(TestStack.ACME_KEY, TestStack.GLOBEX_KEY)) {
                for (String status : List.of("queued", "running")) {
                    pending |= api.get("/v1/jobs?limit=1&status=" + status, key).json().get("jobs").size() > 0;
                }
            }
            if (!pending) {
                return;
            }
            Api.pause(Duration.ofMillis(200));
        }
        throw new AssertionError("jobs still pending after " + WITHIN);
    }

    /** Every object in our bucket, for tests that prove a refusal wrote nothing. */
    int objectCount() {
        return t.stack.s3().listObjectsV2Paginator(l -> l.bucket(bucket())).contents().stream()
                .mapToInt(o -> 1).sum();
    }

    static JsonNode fileOfType(JsonNode job, String contentType) {
        for (JsonNode f : job.get("files")) {
            if (f.get("content_type").asText().equals(contentType)) {
                return f;
            }
        }
        throw new AssertionError("no " + contentType + " file in " + job.get("files"));
    }

    static JsonNode last(JsonNode array) {
        return array.get(array.size() - 1);
    }

    Map<String, ModelCounts> countsOf(List<String> models) {
        Map<String, ModelCounts> m = new java.util.HashMap<>();
        models.forEach(id -> m.put(id, t.fal.stats().model(id)));
        return m;
    }
}
