package dev.falgate.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;

/** A small client for falgate's HTTP API as partners use it: real HTTP on loopback. */
public final class Api {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private volatile Contract contract;

    Api(URI base) {
        this.base = base;
    }

    /** The contract the stack serves; every response to a request on this API is checked against it. */
    Contract contract() {
        if (contract == null) {
            HttpRequest r = request("/v1/openapi.json", null).GET().build();
            Response served = exchange(r);
            if (served.status() != 200) {
                throw new AssertionError("GET /v1/openapi.json answered " + served.status() + ": " + served.text());
            }
            contract = new Contract(served.json());
        }
        return contract;
    }

    public record Response(int status, byte[] body, Map<String, java.util.List<String>> headers) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + new String(body, StandardCharsets.UTF_8), e);
            }
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    public Response get(String path, String key) {
        return send(request(path, key).GET());
    }

    Response post(String path, String key, Object body) {
        String text = body instanceof String s ? s : write(body);
        return send(request(path, key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text)));
    }

    /** A JSON POST with extra headers (e.g. {@code Prefer}). */
    Response post(String path, String key, Object body, Map<String, String> headers) {
        HttpRequest.Builder r = request(path, key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : write(body)));
        headers.forEach(r::header);
        return send(r);
    }

    public Response delete(String path, String key) {
        return send(request(path, key).DELETE());
    }

    Response postRaw(String path, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(r::header);
        return send(r);
    }

    /** Any method on this API with the given headers (e.g. fal's proxy protocol); a null body sends none. */
    Response call(String method, String path, Map<String, String> headers, String body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(r::header);
        return send(r);
    }

    /** A plain GET of an absolute URL (presigned S3 URLs), no API key. */
    Response download(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET());
    }

    Response put(String url, String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("content-type", contentType).PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** Polls a job until {@code done} holds, with a deadline; fails with the last state seen. */
    JsonNode awaitJob(String key, String jobId, Predicate<JsonNode> done, Duration within) {
        Instant deadline = Instant.now().plus(within);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            Response r = get("/v1/jobs/" + jobId, key);
            last = r.json();
            if (r.status() == 200 && done.test(last)) {
                return last;
            }
            pause(Duration.ofMillis(200));
        }
        throw new AssertionError("job " + jobId + " did not get there in " + within + "; last: " + last);
    }

    JsonNode awaitTerminal(String key, String jobId, Duration within) {
        return awaitJob(key, jobId, j -> java.util.Set.of("succeeded", "failed", "canceled")
                .contains(j.path("status").asText()), within);
    }

    /** The gap between two polls of a deadline loop; never used to wait for an event by itself. */
    static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private HttpRequest.Builder request(String path, String key) {
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            r.header("authorization", "Bearer " + key);
        }
        return r;
    }

    private Response send(HttpRequest.Builder r) {
        HttpRequest request = r.build();
        Response response = exchange(request);
        String path = request.uri().getRawPath();
        boolean ours = request.uri().getAuthority().equals(base.getAuthority());
        if (ours && !path.equals("/v1/openapi.json")) {
            contract().check(request.method(), path, response);
        }
        return response;
    }

    private Response exchange(HttpRequest request) {
        try {
            HttpResponse<byte[]> resp = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Response(resp.statusCode(), resp.body(), resp.headers().map());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
