package dev.falgate.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** A bare queue API client for tests (java.net.http, the main account's key or another's). */
final class FalTestClient {
    private static final Duration POLL_PAUSE = Duration.ofMillis(10);

    record Response(int status, HttpHeaders headers, byte[] body) {
        JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;
    private final String key;

    FalTestClient(FalEmulator emulator) {
        this(emulator.baseUrl(), emulator.apiKey());
    }

    private FalTestClient(URI base, String key) {
        this.base = base;
        this.key = key;
    }

    /** The same emulator, called with another account's key. */
    FalTestClient withKey(String otherKey) {
        return new FalTestClient(base, otherKey);
    }

    Response submit(String modelId, ObjectNode input, URI webhook) {
        String url = base + "/" + modelId + (webhook == null ? ""
                : "?fal_webhook=" + URLEncoder.encode(webhook.toString(), StandardCharsets.UTF_8));
        return send(authorized(url).POST(HttpRequest.BodyPublishers.ofString(input.toString())));
    }

    /** A submit with extra headers (fal's optional submit headers, §1.9). */
    Response submitWithHeaders(String modelId, ObjectNode input, java.util.Map<String, String> headers) {
        HttpRequest.Builder request = authorized(base + "/" + modelId)
                .POST(HttpRequest.BodyPublishers.ofString(input.toString()));
        headers.forEach(request::header);
        return send(request);
    }

    Response get(String url) {
        return send(authorized(url).GET());
    }

    Response put(String url) {
        return send(authorized(url).PUT(HttpRequest.BodyPublishers.noBody()));
    }

    /**
     * A call through fal's proxy protocol: sent to {@code {base}/api/fal/proxy}, with the
     * real destination in {@code x-fal-target-url} (as fal-js does with {@code proxyUrl}).
     */
    Response proxied(String method, String targetUrl, String body) {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        return send(authorized(base + "/api/fal/proxy").header("x-fal-target-url", targetUrl)
                .method(method, publisher));
    }

    Response anonymous(HttpRequest.Builder request) {
        return send(request);
    }

    Response path(String method, String path, String body) {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        return send(HttpRequest.newBuilder(URI.create(base + path)).method(method, publisher));
    }

    /** Polls the status URL until COMPLETED (HTTP 200) and returns that status body. */
    JsonNode awaitCompleted(JsonNode submitted, Duration timeout) {
        String statusUrl = submitted.get("status_url").asText() + "?logs=1";
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Response status = get(statusUrl);
            if (status.status() == 200) {
                return status.json();
            }
            if (status.status() != 202) {
                throw new AssertionError("status " + status.status() + ": "
                        + new String(status.body(), StandardCharsets.UTF_8));
            }
            LockSupport.parkNanos(POLL_PAUSE.toNanos());
        }
        throw new AssertionError("not completed within " + timeout + ": " + submitted);
    }

    private HttpRequest.Builder authorized(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Key " + key)
                .header("Content-Type", "application/json");
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> response = http.send(request.timeout(Duration.ofSeconds(30))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
