package dev.falgate.emulator.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.falgate.emulator.Json;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Reading requests and writing responses on a JDK {@link HttpExchange}. */
final class Exchanges {
    /**
     * Exchanges answered later from another thread. Not an exchange attribute: the JDK server
     * keeps those in the shared HttpContext, so one deferral would mark every exchange.
     */
    private static final Set<HttpExchange> DEFERRED = ConcurrentHashMap.newKeySet();

    private Exchanges() {
    }

    static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        sendBytes(exchange, status, "application/json", toBytes(body));
    }

    /** {"detail": message}, fal's shape for auth and lookup errors. */
    static void sendDetail(HttpExchange exchange, int status, String message) throws IOException {
        sendJson(exchange, status, Json.object().put("detail", message));
    }

    static void sendBytes(HttpExchange exchange, int status, String contentType, byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
    }

    /** Marks the exchange as answered later from another thread, which then closes it. */
    static void defer(HttpExchange exchange) {
        DEFERRED.add(exchange);
    }

    /** Whether the exchange was deferred; forgets it (asked once, as its handler returns). */
    static boolean takeDeferred(HttpExchange exchange) {
        return DEFERRED.remove(exchange);
    }

    static byte[] toBytes(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] readBody(HttpExchange exchange) throws IOException {
        return exchange.getRequestBody().readAllBytes();
    }

    /** Decoded query parameters (the first value of each name). */
    static Map<String, String> query(String rawQuery) {
        Map<String, String> params = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.putIfAbsent(name, value);
        }
        return params;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
