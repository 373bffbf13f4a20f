package dev.falgate.emulator.input;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Downloads input files exactly through the URL handed in (S3 presigned URLs break if
 * re-encoded), or decodes {@code data:} URIs, which fal also accepts.
 */
public final class InputFetcher {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final HttpClient http;

    public InputFetcher(HttpClient http) {
        this.http = http;
    }

    /** Downloaded bytes and the content type the server (or data URI) declared, if any. */
    public record Fetched(byte[] bytes, String contentType) {
    }

    public Fetched fetch(String url) throws FetchFailedException {
        if (url.startsWith("data:")) {
            return decodeDataUri(url);
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build();
        } catch (IllegalArgumentException e) {
            throw new FetchFailedException("malformed URL: " + e.getMessage());
        }
        return download(request);
    }

    private Fetched download(HttpRequest request) throws FetchFailedException {
        try {
            HttpResponse<byte[]> response =
                    http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() / 100 != 2) {
                throw new FetchFailedException("HTTP " + response.statusCode());
            }
            return new Fetched(response.body(),
                    response.headers().firstValue("Content-Type").orElse(null));
        } catch (IOException e) {
            throw new FetchFailedException(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchFailedException("interrupted");
        }
    }

    private static Fetched decodeDataUri(String uri) throws FetchFailedException {
        int comma = uri.indexOf(',');
        if (comma < 0) {
            throw new FetchFailedException("malformed data URI");
        }
        String meta = uri.substring("data:".length(), comma);
        String payload = uri.substring(comma + 1);
        String contentType = meta.replace(";base64", "");
        try {
            byte[] bytes = meta.endsWith(";base64")
                    ? Base64.getDecoder().decode(payload)
                    : URLDecoder.decode(payload, StandardCharsets.UTF_8)
                            .getBytes(StandardCharsets.UTF_8);
            return new Fetched(bytes, contentType.isEmpty() ? null : contentType);
        } catch (IllegalArgumentException e) {
            throw new FetchFailedException("malformed data URI");
        }
    }
}
