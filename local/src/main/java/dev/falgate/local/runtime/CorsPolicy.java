package dev.falgate.local.runtime;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.falgate.local.template.BucketDef.CorsRule;

/**
 * The HTTP API's {@code CorsConfiguration}, applied the way API Gateway does: it answers
 * preflight requests itself and adds the CORS headers to every response for an allowed origin.
 */
final class CorsPolicy {
    private final CorsRule rule;

    CorsPolicy(CorsRule rule) {
        this.rule = rule;
    }

    static boolean isPreflight(HttpExchange exchange) {
        return exchange.getRequestMethod().equals("OPTIONS")
                && exchange.getRequestHeaders().containsKey("Origin")
                && exchange.getRequestHeaders().containsKey("Access-Control-Request-Method");
    }

    void addResponseHeaders(String origin, Headers headers) {
        if (!allows(origin)) {
            return;
        }
        headers.set("Access-Control-Allow-Origin", rule.allowedOrigins().contains("*") ? "*" : origin);
        if (!rule.exposedHeaders().isEmpty()) {
            headers.set("Access-Control-Expose-Headers", String.join(",", rule.exposedHeaders()));
        }
        headers.add("Vary", "Origin");
    }

    void addPreflightHeaders(String origin, Headers headers) {
        if (!allows(origin)) {
            return;
        }
        headers.set("Access-Control-Allow-Methods", String.join(",", rule.allowedMethods()));
        headers.set("Access-Control-Allow-Headers", String.join(",", rule.allowedHeaders()));
        if (rule.maxAgeSeconds() != null) {
            headers.set("Access-Control-Max-Age", rule.maxAgeSeconds().toString());
        }
    }

    private boolean allows(String origin) {
        return origin != null && (rule.allowedOrigins().contains("*") || rule.allowedOrigins().contains(origin));
    }
}
