package dev.falgate.emulator.outputs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.catalog.Catalog;
import dev.falgate.catalog.FieldSpec;
import dev.falgate.catalog.ModelSpec;
import dev.falgate.emulator.InputServer;
import dev.falgate.emulator.FalEmulator;
import dev.falgate.emulator.FalEmulatorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.locks.LockSupport;

/**
 * A running emulator (2000x speed) with local input files and a minimal queue client: submit,
 * poll the status URL until COMPLETED (within a deadline), read the result, download files.
 */
final class OutputsFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration COMPLETION_DEADLINE = Duration.ofSeconds(30);
    private static final Duration POLL_PAUSE = Duration.ofMillis(5);
    private static final byte[] LORA = "{\"__metadata__\":{}}".getBytes(StandardCharsets.UTF_8);

    final InputServer inputs = new InputServer();
    private final FalEmulator emulator =
            FalEmulator.start(FalEmulatorConfig.builder().speed(2000).build());
    private final HttpClient http = HttpClient.newHttpClient();

    static ModelSpec model(String id) {
        return Catalog.standard().find(id).orElseThrow(() -> new AssertionError("no model " + id));
    }

    /**
     * The seed page's example input with every file URL swapped for {@code imageUrl} (LoRA
     * fields for a served .safetensors); list fields keep their example's length.
     */
    ObjectNode exampleInput(ModelSpec model, String imageUrl) {
        ObjectNode input = model.example().deepCopy();
        String loraUrl = inputs.serve("lora.safetensors", LORA);
        for (FieldSpec field : model.fileInputs()) {
            String url = "safetensors".equals(field.fileKind()) ? loraUrl : imageUrl;
            JsonNode example = input.get(field.name());
            if (example != null && example.isArray()) {
                ArrayNode urls = input.putArray(field.name());
                example.forEach(e -> urls.add(url));
            } else if (example != null || field.required()) {
                input.put(field.name(), url);
            }
        }
        return input;
    }

    /** Submits, waits for COMPLETED and returns the result body (asserting HTTP 200). */
    JsonNode run(String modelId, ObjectNode input) {
        HttpResponse<byte[]> submitted = send(authorized(emulator.baseUrl() + "/" + modelId)
                .POST(HttpRequest.BodyPublishers.ofString(input.toString())));
        assertThat(submitted.statusCode()).as(modelId + " submit").isEqualTo(200);
        JsonNode queued = parse(submitted.body());
        awaitCompleted(queued.get("status_url").asText());
        HttpResponse<byte[]> result = send(authorized(queued.get("response_url").asText()).GET());
        assertThat(result.statusCode()).as(modelId + " result " + text(result.body()))
                .isEqualTo(200);
        return parse(result.body());
    }

    /** A file object's bytes: downloaded, or decoded from a data: URI; checks file_size. */
    byte[] download(JsonNode file) {
        String url = file.get("url").asText();
        byte[] bytes = url.startsWith("data:") ? DataUri.parse(url).bytes() : fetch(url);
        if (file.has("file_size")) {
            assertThat((long) bytes.length).as("file_size of " + url.substring(0,
                    Math.min(url.length(), 80))).isEqualTo(file.get("file_size").asLong());
        }
        return bytes;
    }

    private byte[] fetch(String url) {
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(url)).GET());
        assertThat(response.statusCode()).as("download " + url).isEqualTo(200);
        return response.body();
    }

    private void awaitCompleted(String statusUrl) {
        long deadline = System.nanoTime() + COMPLETION_DEADLINE.toNanos();
        while (true) {
            HttpResponse<byte[]> status = send(authorized(statusUrl).GET());
            if (status.statusCode() == 200) {
                JsonNode body = parse(status.body());
                assertThat(body.has("error")).as("completed with an error: " + body).isFalse();
                return;
            }
            assertThat(status.statusCode()).as("status " + text(status.body())).isEqualTo(202);
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not COMPLETED within " + COMPLETION_DEADLINE);
            }
            LockSupport.parkNanos(POLL_PAUSE.toNanos());
        }
    }

    private HttpRequest.Builder authorized(String url) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Key " + emulator.apiKey())
                .header("Content-Type", "application/json");
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        emulator.close();
        inputs.close();
    }

    /** A {@code data:<type>;base64,<payload>} URI, as fal returns files with sync_mode. */
    record DataUri(String mediaType, byte[] bytes) {
        static DataUri parse(String uri) {
            assertThat(uri).as("data URI").matches("(?s)data:[\\w.+-]+/[\\w.+-]+;base64,.+");
            int comma = uri.indexOf(',');
            String mediaType = uri.substring("data:".length(), uri.indexOf(';'));
            return new DataUri(mediaType, Base64.getDecoder().decode(uri.substring(comma + 1)));
        }
    }
}
