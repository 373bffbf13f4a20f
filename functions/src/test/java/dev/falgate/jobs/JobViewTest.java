package dev.falgate.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.http.Json;
import dev.falgate.storage.BlobStore;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The job JSON's files: inputs and outputs presigned to save under their names, thumbnails, old items. */
class JobViewTest {
    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    private final S3Presigner presigner = S3Presigner.builder().region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
            .endpointOverride(URI.create("http://127.0.0.1:9000"))
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
    private final JobView view = new JobView(new BlobStore(null, presigner, "bucket"), Clock.fixed(T0, ZoneOffset.UTC));

    @Test
    void inputFilesArePresignedWithFieldTypeSizeAndName() {
        Job job = new FakeJobs("fal-ai/trellis", T0, T0.plusSeconds(60)).job;
        job.setInputFiles(List.of(new JobFile("image_url", "uploads/acme/upl_1.png", "image/png", 1234, null, null, null, "cat photo.png"),
                new JobFile("image_urls[1]", "uploads/acme/upl_2.jpg", "image/jpeg", 99, null, null, null, null)));
        JsonNode inputs = view.render(job).get("input_files");
        assertThat(inputs).hasSize(2);
        JsonNode first = inputs.get(0);
        assertThat(first.get("field").asText()).isEqualTo("image_url");
        assertThat(first.get("content_type").asText()).isEqualTo("image/png");
        assertThat(first.get("size").asLong()).isEqualTo(1234);
        assertThat(first.get("file_name").asText()).isEqualTo("cat photo.png");
        assertThat(first.get("url").asText()).startsWith("http://127.0.0.1:9000/bucket/uploads/acme/upl_1.png?");
        assertThat(disposition(first.get("url").asText())).isEqualTo("attachment; filename=\"cat photo.png\"");
        assertThat(inputs.get(1).get("file_name").asText()).as("no name kept: field and extension").isEqualTo("image_urls[1].jpg");
    }

    @Test
    void outputsCarryFileNameThumbnailAndTheOutputPointsAtTheSameUrl() {
        Job job = new FakeJobs("fal-ai/trellis", T0, T0.plusSeconds(60)).job;
        job.outputsCopied(Json.parse("{\"images\":[{\"url\":\"falgate-file:images[0]\"}],\"model_mesh\":{\"url\":\"falgate-file:model_mesh\"}}"),
                List.of(new JobFile("images[0]", "outputs/acme/j/images[0].png", "image/png", 5000, 512, 512,
                                "outputs/acme/j/thumbs/images[0].png", "../renders/front.png"),
                        new JobFile("model_mesh", "outputs/acme/j/model_mesh.glb", "model/gltf-binary", 9000, null, null)), T0);
        JsonNode o = view.render(job);
        JsonNode image = o.at("/files/0");
        assertThat(image.get("file_name").asText()).as("no path from fal reaches the name").isEqualTo("front.png");
        assertThat(image.get("thumbnail_url").asText()).contains("/thumbs/images%5B0%5D.png").doesNotContain("response-content-disposition");
        assertThat(o.at("/output/images/0/url").asText()).isEqualTo(image.get("url").asText());
        JsonNode mesh = o.at("/files/1");
        assertThat(mesh.get("thumbnail_url").isNull()).isTrue();
        assertThat(mesh.get("file_name").asText()).isEqualTo("model_mesh.glb");
        assertThat(disposition(mesh.get("url").asText())).isEqualTo("attachment; filename=\"model_mesh.glb\"");
    }

    @Test
    void anItemStoredBeforeIssue9ReadsWithNoInputFilesAndNoThumbnail() {
        Job job = new FakeJobs("fal-ai/trellis", T0, T0.plusSeconds(60)).job;
        Map<String, AttributeValue> item = new HashMap<>(JobItems.toItem(job, 86400));
        item.remove("input_files");
        item.put("files", AttributeValue.fromS("[{\"field\":\"images[0]\",\"key\":\"outputs/acme/j/images[0].png\","
                + "\"contentType\":\"image/png\",\"size\":42,\"width\":8,\"height\":8}]"));
        JsonNode o = view.render(JobItems.fromItem(item));
        assertThat(o.get("input_files")).isEmpty();
        assertThat(o.at("/files/0/thumbnail_url").isNull()).isTrue();
        assertThat(o.at("/files/0/file_name").asText()).isEqualTo("images[0].png");
    }

    @Test
    void inputFilesSurviveTheItemRoundTrip() {
        Job job = new FakeJobs("fal-ai/trellis", T0, T0.plusSeconds(60)).job;
        JobFile input = new JobFile("image_url", "uploads/acme/upl_1.png", "image/png", 1234, null, null, null, "in.png");
        job.setInputFiles(List.of(input));
        assertThat(JobItems.fromItem(JobItems.toItem(job, 86400)).inputFiles()).containsExactly(input);
    }

    private static String disposition(String url) {
        for (String param : URI.create(url).getRawQuery().split("&")) {
            if (param.startsWith("response-content-disposition=")) {
                return URLDecoder.decode(param.substring(param.indexOf('=') + 1), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no response-content-disposition in " + url);
    }
}
