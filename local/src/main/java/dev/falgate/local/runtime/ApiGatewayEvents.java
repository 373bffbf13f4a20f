package dev.falgate.local.runtime;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext;
import com.sun.net.httpserver.HttpExchange;
import dev.falgate.local.runtime.BodyEncoder.EncodedBody;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the payload-2.0 {@link APIGatewayV2HTTPEvent} that API Gateway would send for a request:
 * lower-cased headers (repeats comma-joined, cookies moved to {@code cookies}), decoded query and
 * path parameters, the forwarding headers API Gateway adds, and the request context.
 */
final class ApiGatewayEvents {
    static final String API_ID = "falgatelocal";
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String accountId;
    private final BodyEncoder bodies;

    ApiGatewayEvents(String accountId, BodyEncoder bodies) {
        this.accountId = accountId;
        this.bodies = bodies;
    }

    APIGatewayV2HTTPEvent toEvent(HttpExchange exchange, RouteTable.Match match, byte[] body, String requestId) {
        Map<String, String> headers = headers(exchange, requestId);
        String rawQuery = exchange.getRequestURI().getRawQuery();
        EncodedBody encoded = bodies.encode(body, headers.get("content-type"));
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(match.route().routeKey())
                .withRawPath(exchange.getRequestURI().getRawPath())
                .withRawQueryString(rawQuery == null ? "" : rawQuery)
                .withCookies(cookies(exchange))
                .withHeaders(headers)
                .withQueryStringParameters(queryParameters(rawQuery))
                .withPathParameters(match.pathParameters().isEmpty() ? null : match.pathParameters())
                .withBody(encoded.body())
                .withIsBase64Encoded(encoded.base64())
                .withRequestContext(requestContext(exchange, headers, match, requestId))
                .build();
    }

    /** API Gateway's request ids look like {@code "JKJaXmPLvHcESHA="}. */
    static String newRequestId() {
        byte[] bytes = new byte[10];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private Map<String, String> headers(HttpExchange exchange, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.equals("cookie")) {
                headers.merge(lower, String.join(",", values), (a, b) -> a + "," + b);
            }
        });
        String sourceIp = exchange.getRemoteAddress().getAddress().getHostAddress();
        headers.merge("x-forwarded-for", sourceIp, (client, proxy) -> client + ", " + proxy);
        headers.put("x-forwarded-proto", "http");
        headers.put("x-forwarded-port", Integer.toString(exchange.getLocalAddress().getPort()));
        headers.putIfAbsent("x-amzn-trace-id", traceId());
        return headers;
    }

    private static String traceId() {
        byte[] id = new byte[12];
        RANDOM.nextBytes(id);
        return "Root=1-" + Long.toHexString(Instant.now().getEpochSecond()) + "-" + HexFormat.of().formatHex(id);
    }

    private static List<String> cookies(HttpExchange exchange) {
        List<String> cookies = new ArrayList<>();
        List<String> headers = exchange.getRequestHeaders().getOrDefault("Cookie", List.of());
        for (String header : headers) {
            for (String cookie : header.split(";")) {
                if (!cookie.isBlank()) {
                    cookies.add(cookie.trim());
                }
            }
        }
        return cookies.isEmpty() ? null : cookies;
    }

    /** Decoded; a name given twice gets its values comma-joined, as API Gateway does. */
    static Map<String, String> queryParameters(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] nameValue = pair.split("=", 2);
            String value = nameValue.length > 1 ? PercentDecoding.decodeQuery(nameValue[1]) : "";
            params.merge(PercentDecoding.decodeQuery(nameValue[0]), value, (a, b) -> a + "," + b);
        }
        return params;
    }

    private RequestContext requestContext(HttpExchange exchange, Map<String, String> headers, RouteTable.Match match,
            String requestId) {
        Instant now = Instant.now();
        String host = headers.getOrDefault("host", "localhost");
        return RequestContext.builder()
                .withAccountId(accountId)
                .withApiId(API_ID)
                .withDomainName(host)
                .withDomainPrefix(host.split("[.:]", 2)[0])
                .withHttp(RequestContext.Http.builder()
                        .withMethod(exchange.getRequestMethod())
                        .withPath(exchange.getRequestURI().getRawPath())
                        .withProtocol(exchange.getProtocol())
                        .withSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress())
                        .withUserAgent(headers.getOrDefault("user-agent", ""))
                        .build())
                .withRequestId(requestId)
                .withRouteKey(match.route().routeKey())
                .withStage("$default")
                .withTime(REQUEST_TIME.format(now))
                .withTimeEpoch(now.toEpochMilli())
                .build();
    }
}
