package dev.falgate.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** fal's proxy protocol (x-fal-target-url) onto the emulator's routes, and storage uploads. */
class ProxyAndStorageTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String INITIATE =
            "https://rest.fal.ai/storage/upload/initiate?storage_type=fal-cdn-v3";
    private static final String UPLOAD_BODY =
            "{\"content_type\": \"image/png\", \"file_name\": \"my photo.png\"}";

    @RegisterExtension
    static final RunningEmulator running = RunningEmulator.with(FalEmulatorConfig.builder().speed(1000).build());

    @Test
    void theQueueApiWorksThroughTheProxyProtocol() {
        String webhook = URLEncoder.encode("http://127.0.0.1:9/hook", StandardCharsets.UTF_8);
        FalTestClient.Response submit = running.fal().proxied("POST",
                "https://queue.fal.run/fal-ai/post-processing/sharpen?fal_webhook=" + webhook,
                Json.object().put("image_url", running.inputs().imageUrl()).toString());
        assertThat(submit.status()).isEqualTo(200);
        String id = submit.json().get("request_id").asText();
        String requests = "https://queue.fal.run/fal-ai/post-processing/requests/" + id;

        running.fal().awaitCompleted(submit.json(), TIMEOUT);
        FalTestClient.Response status = running.fal().proxied("GET", requests + "/status?logs=1", null);
        FalTestClient.Response result = running.fal().proxied("GET", requests, null);

        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().get("logs")).isNotEmpty();
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.header("x-fal-request-id")).isEqualTo(id);
        assertThat(running.fal().proxied("GET", submit.json().get("status_url").asText(), null).status())
                .as("the emulator's own URLs, proxied").isEqualTo(200);
    }

    @Test
    void targetsTheEmulatorDoesNotPlayAreRefused() {
        FalTestClient.Response run = running.fal().proxied("POST", "https://fal.run/fal-ai/flux/dev", "{}");
        FalTestClient.Response garbage = running.fal().proxied("GET", "not a url", null);

        assertThat(run.status()).isEqualTo(400);
        assertThat(run.json().get("detail").asText()).contains("fal.run");
        assertThat(garbage.status()).isEqualTo(400);
    }

    @Test
    void theJwksIsAlsoServedAsRestFalAi() {
        FalTestClient.Response jwks = running.fal().proxied("GET",
                "https://rest.fal.ai/.well-known/jwks.json", null);

        assertThat(jwks.status()).isEqualTo(200);
        assertThat(jwks.json().get("keys")).hasSize(2);
    }

    @Test
    void anUploadIsReadableAtItsFileUrlOnceItWasPut() {
        JsonNode initiated = running.fal().proxied("POST", INITIATE, UPLOAD_BODY).json();
        String uploadUrl = initiated.get("upload_url").asText();
        String fileUrl = initiated.get("file_url").asText();
        byte[] png = InputServer.PNG;

        assertThat(fileUrl).startsWith(running.emulator().baseUrl() + "/uploads/").endsWith("/my_photo.png");
        assertThat(get(fileUrl).status()).as("before the PUT").isEqualTo(404);
        assertThat(put(uploadUrl, png).status()).isEqualTo(200);
        FalTestClient.Response file = get(fileUrl);
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.header("Content-Type")).isEqualTo("image/png");
        assertThat(file.body()).isEqualTo(png);
    }

    @Test
    void uploadsNeedTheKeyToInitiateAndTheTokenToPut() {
        JsonNode initiated = running.fal().path("POST",
                "/storage/upload/initiate?storage_type=fal-cdn-v3", UPLOAD_BODY).json();
        assertThat(initiated.get("detail").asText()).contains("Authorization");

        String uploadUrl = running.fal().proxied("POST", INITIATE, UPLOAD_BODY).json().get("upload_url")
                .asText();
        String forged = uploadUrl.replaceFirst("token=[0-9a-f]+", "token=guess");
        assertThat(put(forged, new byte[] {1}).status()).isEqualTo(403);
    }

    @Test
    void anUploadedImageIsAValidModelInput() {
        JsonNode initiated = running.fal().proxied("POST", INITIATE, UPLOAD_BODY).json();
        put(initiated.get("upload_url").asText(), InputServer.PNG);

        JsonNode submitted = running.fal().submit("fal-ai/image-preprocessors/sam", Json.object()
                .put("image_url", initiated.get("file_url").asText()), null).json();

        assertThat(running.fal().awaitCompleted(submitted, TIMEOUT).has("error")).isFalse();
    }

    private static FalTestClient.Response get(String url) {
        return running.fal().anonymous(HttpRequest.newBuilder(URI.create(url)));
    }

    /** As fal-js does: a plain PUT with the file's type, no fal key. */
    private static FalTestClient.Response put(String url, byte[] body) {
        return running.fal().anonymous(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "image/png")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }
}
