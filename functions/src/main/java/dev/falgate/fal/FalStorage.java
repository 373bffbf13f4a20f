package dev.falgate.fal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.config.SecretSource;
import dev.falgate.http.Json;
import dev.falgate.storage.BlobStore;
import dev.falgate.uploads.Upload;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Hands inputs to fal through fal's own storage (as its JS client does: initiate, then PUT the
 * bytes), for when fal cannot reach our bucket's presigned URLs: a laptop running the local
 * stack against the real fal. The bytes stream from our bucket; nothing is held in memory.
 */
public final class FalStorage implements InputHandoff {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final HttpClient http;
    private final URI restBase;
    private final SecretSource key;
    private final BlobStore blobs;

    public FalStorage(HttpClient http, URI restBase, SecretSource key, BlobStore blobs) {
        this.http = http;
        this.restBase = restBase;
        this.key = key;
        this.blobs = blobs;
    }

    @Override
    public String urlFor(Upload upload, Duration validity) {
        JsonNode target = initiate(upload);
        put(URI.create(target.path("upload_url").asText()), upload);
        return target.path("file_url").asText();
    }

    private JsonNode initiate(Upload upload) {
        String body = Json.write(Json.object().put("content_type", upload.contentType())
                .put("file_name", upload.fileName() != null ? upload.fileName() : upload.id()));
        HttpRequest request = HttpRequest.newBuilder(restBase.resolve("/storage/upload/initiate?storage_type=fal-cdn-v3"))
                .timeout(TIMEOUT).header("Authorization", "Key " + key.get())
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> r = send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode target = Json.parse(r.body());
        if (!target.hasNonNull("upload_url") || !target.hasNonNull("file_url")) {
            throw new FalException(FalException.Kind.OTHER, r.statusCode(), r.body(), "fal storage gave no upload URL", null);
        }
        return target;
    }

    private void put(URI uploadUrl, Upload upload) {
        HttpRequest request = HttpRequest.newBuilder(uploadUrl).timeout(TIMEOUT)
                .header("Content-Type", upload.contentType())
                .PUT(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> open(upload)), upload.size()))
                .build();
        send(request, HttpResponse.BodyHandlers.discarding());
    }

    private InputStream open(Upload upload) {
        return blobs.open(upload.key());
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            HttpResponse<T> r = http.send(request, handler);
            if (r.statusCode() / 100 != 2) {
                FalException.Kind kind = r.statusCode() == 429 || r.statusCode() >= 500
                        ? FalException.Kind.UNAVAILABLE : FalException.Kind.OTHER;
                throw new FalException(kind, r.statusCode(), null, "fal storage answered " + r.statusCode(), null);
            }
            return r;
        } catch (IOException e) {
            throw new FalException(FalException.Kind.UNAVAILABLE, 0, null, "fal storage unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FalException(FalException.Kind.UNAVAILABLE, 0, null, "interrupted", e);
        }
    }
}
