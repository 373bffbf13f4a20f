package dev.falgate.fal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.config.SecretSource;
import dev.falgate.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.function.Supplier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * fal's queue API (see docs/fal-protocol): submit on the full model id, then follow the
 * status, response and cancel URLs that submit returned. The key goes in
 * {@code Authorization: Key ...} and nowhere else.
 */
public final class FalClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** fal's own answer time, well inside API Gateway's 30 s together with the rest of a submit. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    /** Built on the first call to fal: a function whose first request never calls fal does not pay for it at INIT. */
    private final Supplier<HttpClient> http;
    private final URI queueBase;
    private final SecretSource key;
    private final Duration requestTimeout;
    /** Sent with every submit: what fal should keep ({@link FalRetention}). */
    private final java.util.Map<String, String> submitHeaders;

    public FalClient(HttpClient http, URI queueBase, SecretSource key) {
        this(http, queueBase, key, REQUEST_TIMEOUT);
    }

    public FalClient(HttpClient http, URI queueBase, SecretSource key, Duration requestTimeout) {
        this(() -> http, queueBase, key, requestTimeout);
    }

    /** @param http called on each request, so it must cache what it builds */
    public FalClient(Supplier<HttpClient> http, URI queueBase, SecretSource key, Duration requestTimeout) {
        this(http, queueBase, key, requestTimeout, java.util.Map.of());
    }

    private FalClient(Supplier<HttpClient> http, URI queueBase, SecretSource key, Duration requestTimeout,
            java.util.Map<String, String> submitHeaders) {
        this.http = http;
        this.queueBase = queueBase;
        this.key = key;
        this.requestTimeout = requestTimeout;
        this.submitHeaders = java.util.Map.copyOf(submitHeaders);
    }

    /** The same client, adding these headers to every submit. */
    public FalClient withSubmitHeaders(java.util.Map<String, String> headers) {
        return new FalClient(http, queueBase, key, requestTimeout, headers);
    }

    public static HttpClient defaultHttpClient() {
        return HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public record Submitted(String requestId, String statusUrl, String responseUrl, String cancelUrl) {
    }

    public Submitted submit(String modelId, ObjectNode input, String webhookUrl) {
        String url = base() + "/" + modelId
                + (webhookUrl == null ? "" : "?fal_webhook=" + URLEncoder.encode(webhookUrl, StandardCharsets.UTF_8));
        HttpRequest.Builder request = request(url).POST(HttpRequest.BodyPublishers.ofString(Json.write(input)));
        submitHeaders.forEach(request::header);
        JsonNode body = Json.parse(send(request, 200).body());
        return new Submitted(body.path("request_id").asText(), body.path("status_url").asText(),
                body.path("response_url").asText(), body.path("cancel_url").asText());
    }

    /**
     * fal's status: {@code queuePosition} while {@code IN_QUEUE} (else null); {@code logs} only
     * when asked for ({@link #statusWithLogs}), else empty.
     */
    public record Status(String status, Integer queuePosition, java.util.List<LogLine> logs) {
        public Status(String status) {
            this(status, null, java.util.List.of());
        }

        public boolean completed() {
            return "COMPLETED".equals(status);
        }

        public boolean inProgress() {
            return "IN_PROGRESS".equals(status);
        }
    }

    /** One line of the model's log as fal reports it; {@code timestamp} as fal wrote it (may be null). */
    public record LogLine(String timestamp, String message) {
    }

    public Status status(String statusUrl) {
        return parseStatus(Json.parse(send(request(statusUrl).GET(), 200).body()));
    }

    /** The status with the model's log lines so far ({@code ?logs=1}). */
    public Status statusWithLogs(String statusUrl) {
        String url = statusUrl + (statusUrl.contains("?") ? "&" : "?") + "logs=1";
        return parseStatus(Json.parse(send(request(url).GET(), 200).body()));
    }

    private static Status parseStatus(JsonNode body) {
        JsonNode position = body.get("queue_position");
        java.util.List<LogLine> logs = new java.util.ArrayList<>();
        for (JsonNode line : body.path("logs")) {
            logs.add(new LogLine(line.hasNonNull("timestamp") ? line.get("timestamp").asText() : null,
                    line.path("message").asText("")));
        }
        return new Status(body.path("status").asText(),
                position != null && position.canConvertToInt() ? position.asInt() : null, logs);
    }

    /**
     * The result as fal stores it: the model's output, or the error body fal replays; with what
     * fal billed for it when the response says ({@code X-Fal-Billable-Units}), else null.
     */
    public record Result(int httpStatus, String body, java.math.BigDecimal billableUnits) {
        public Result(int httpStatus, String body) {
            this(httpStatus, body, null);
        }

        public boolean ok() {
            return httpStatus / 100 == 2;
        }
    }

    /**
     * fal replays a failed request's outcome on its result URL, infrastructure errors with their
     * 5xx and {@code X-Fal-Error-Type}: that is the job's final answer, not an outage to retry.
     */
    public Result result(String responseUrl) {
        HttpResponse<String> r = send(request(responseUrl).GET(), -1, true);
        return new Result(r.statusCode(), r.body(), billableUnits(r));
    }

    /** The header's number; a value that is not one is ignored (it only informs, it never decides). */
    private static java.math.BigDecimal billableUnits(HttpResponse<String> r) {
        try {
            return r.headers().firstValue("x-fal-billable-units").map(String::trim).map(java.math.BigDecimal::new)
                    .orElse(null);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Asks fal to cancel; true when fal accepted the request, false when it was already done. */
    public boolean cancel(String cancelUrl) {
        HttpResponse<String> r = send(request(cancelUrl).PUT(HttpRequest.BodyPublishers.noBody()), -1);
        return r.statusCode() == 202 || r.statusCode() == 200;
    }

    private String base() {
        String s = queueBase.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(requestTimeout)
                .header("Authorization", "Key " + falKey())
                .header("Accept", "application/json")
                .header("Content-Type", "application/json");
    }

    /** A key that cannot be read (Secrets Manager unreachable) means nothing was sent. */
    private String falKey() {
        try {
            return key.get();
        } catch (RuntimeException e) {
            throw FalException.neverConnected("the fal key could not be read", e);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request, int expect) {
        return send(request, expect, false);
    }

    /**
     * Sends; {@code expect} > 0 demands a 2xx, otherwise any status short of 5xx/429 is returned
     * (and a 5xx that is a stored outcome, when {@code outcomeReplay}).
     */
    private HttpResponse<String> send(HttpRequest.Builder request, int expect, boolean outcomeReplay) {
        HttpRequest built = request.build();
        HttpResponse<String> r;
        try {
            r = http.get().send(built, HttpResponse.BodyHandlers.ofString());
        } catch (java.net.http.HttpConnectTimeoutException e) {
            // never connected: fal certainly has nothing, so a retry is safe
            throw FalException.neverConnected("fal unreachable: connect timeout", e);
        } catch (HttpTimeoutException e) {
            throw new FalException(FalException.Kind.TIMEOUT, 0, null, "fal did not answer in time: " + built.method() + " " + built.uri().getPath(), e);
        } catch (java.net.ConnectException e) {
            throw FalException.neverConnected("fal unreachable: " + e.getMessage(), e);
        } catch (IOException e) {
            // the connection broke after the request may have gone out: fal may have it
            throw new FalException(FalException.Kind.UNAVAILABLE, 0, null, "fal's answer was lost: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FalException(FalException.Kind.TIMEOUT, 0, null, "interrupted", e);
        }
        int code = r.statusCode();
        boolean storedOutcome = outcomeReplay && code >= 500 && r.headers().firstValue("x-fal-error-type").isPresent();
        if (code == 429 || (code >= 500 && !storedOutcome)) {
            throw new FalException(FalException.Kind.UNAVAILABLE, code, r.body(), "fal answered " + code, null);
        }
        if (expect > 0 && code / 100 != 2) {
            FalException.Kind kind = code == 422 ? FalException.Kind.REJECTED : FalException.Kind.OTHER;
            throw new FalException(kind, code, r.body(), "fal answered " + code, null);
        }
        return r;
    }
}
