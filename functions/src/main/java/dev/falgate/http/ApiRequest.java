package dev.falgate.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/** Read access to an HTTP API (payload v2) event: headers case-insensitive, body decoded. */
public final class ApiRequest {
    /** API Gateway caps payloads at 10 MB, Lambda at 6 MB; refuse well before. */
    public static final int MAX_BODY_BYTES = 6 * 1024 * 1024;

    private final APIGatewayV2HTTPEvent event;
    private final Context context;

    public ApiRequest(APIGatewayV2HTTPEvent event) {
        this(event, null);
    }

    public ApiRequest(APIGatewayV2HTTPEvent event, Context context) {
        this.event = event;
        this.context = context;
    }

    /** The time the function has left for this request (unbounded without a Lambda context, e.g. in unit tests). */
    public java.time.Duration remainingTime() {
        return context == null ? java.time.Duration.ofDays(1)
                : java.time.Duration.ofMillis(context.getRemainingTimeInMillis());
    }

    public String routeKey() {
        return event.getRouteKey();
    }

    /** {@code "GET /v1/job"}: the request as made (the {@code $default} route's key does not say). */
    public String methodAndPath() {
        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        if (context == null || context.getHttp() == null) {
            return routeKey();
        }
        return context.getHttp().getMethod() + " " + event.getRawPath();
    }

    public Optional<String> header(String name) {
        Map<String, String> headers = event.getHeaders();
        if (headers == null) {
            return Optional.empty();
        }
        return headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst();
    }

    public Optional<String> query(String name) {
        Map<String, String> q = event.getQueryStringParameters();
        return Optional.ofNullable(q == null ? null : q.get(name));
    }

    public String pathParameter(String name) {
        Map<String, String> p = event.getPathParameters();
        String v = p == null ? null : p.get(name);
        if (v == null) {
            throw new IllegalStateException("route has no path parameter " + name);
        }
        return v;
    }

    public byte[] rawBody() {
        String body = event.getBody();
        if (body == null) {
            return new byte[0];
        }
        return event.getIsBase64Encoded()
                ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
    }

    /** The body as a JSON object, or a 400 that says what is wrong with it. */
    public JsonNode jsonBody() {
        byte[] raw = rawBody();
        if (raw.length > MAX_BODY_BYTES) {
            throw new ApiException(413, "payload_too_large",
                    "request body over " + MAX_BODY_BYTES + " bytes; upload large files through POST /v1/uploads");
        }
        if (raw.length == 0) {
            throw new ApiException(400, "invalid_json", "request body must be a JSON object");
        }
        try {
            JsonNode node = Json.readTree(raw);
            if (node == null || !node.isObject()) {
                throw new ApiException(400, "invalid_json", "request body must be a JSON object");
            }
            return node;
        } catch (java.io.IOException e) {
            throw new ApiException(400, "invalid_json", "request body is not valid JSON");
        }
    }

    /** The public origin of this API as the caller reached it, e.g. {@code https://abc.execute-api...}. */
    public String origin() {
        String proto = header("x-forwarded-proto").orElse("https");
        String host = event.getRequestContext() != null && event.getRequestContext().getDomainName() != null
                ? event.getRequestContext().getDomainName()
                : header("host").orElseThrow(() -> new IllegalStateException("request has no host"));
        return proto + "://" + host;
    }
}
