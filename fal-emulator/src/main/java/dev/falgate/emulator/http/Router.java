package dev.falgate.emulator.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.falgate.emulator.Json;
import dev.falgate.emulator.queue.FalRequest;
import dev.falgate.emulator.queue.RequestQueue;
import dev.falgate.emulator.webhook.WebhookSigner;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The single HTTP entry point. Unauthenticated: the JWKS, output files and the control API.
 * Behind {@code Authorization: Key <key>}: the queue API, where any path ending in
 * {@code /requests/<id>[/status[/stream]|/cancel]} is a queue read (owner/app or full-id
 * prefix) and any other POST is a submit.
 */
public final class Router implements HttpHandler {
    private static final Pattern QUEUE_READ =
            Pattern.compile("^(.+)/requests/([^/]+)(/status|/status/stream|/cancel)?$");

    private final QueueEndpoints queueEndpoints;
    private final ControlEndpoints controlEndpoints;
    private final FileEndpoint fileEndpoint;
    private final RequestQueue queue;
    private final WebhookSigner signer;
    private final String apiKey;

    public Router(Wiring wiring) {
        this.queue = wiring.queue();
        this.signer = wiring.signer();
        this.apiKey = wiring.apiKey();
        this.queueEndpoints = new QueueEndpoints(wiring.catalog(), wiring.queue(), wiring.stats(),
                wiring.baseUrl());
        this.controlEndpoints = new ControlEndpoints(wiring.settings(), wiring.stats());
        this.fileEndpoint = new FileEndpoint(wiring.files());
    }

    @Override
    public void handle(HttpExchange exchange) {
        try {
            route(exchange, Exchanges.normalizedPath(exchange));
        } catch (IOException e) {
            // the client went away; nothing left to answer
        } catch (RuntimeException e) {
            answerInternalError(exchange, e);
        } finally {
            exchange.close();
        }
    }

    private void route(HttpExchange exchange, String path) throws IOException {
        if (path.equals(".well-known/jwks.json")) {
            Exchanges.sendJson(exchange, 200, signer.jwks());
        } else if (path.startsWith("_emulator/")) {
            controlEndpoints.handle(exchange, path);
        } else if (path.startsWith("files/")) {
            fileEndpoint.handle(exchange, path);
        } else if (authorized(exchange)) {
            routeQueue(exchange, path);
        }
    }

    private void routeQueue(HttpExchange exchange, String path) throws IOException {
        Matcher read = QUEUE_READ.matcher(path);
        String method = exchange.getRequestMethod();
        if (read.matches()) {
            routeRead(exchange, method, read.group(1), read.group(2), read.group(3));
        } else if (method.equals("POST") && !path.isEmpty()) {
            queueEndpoints.submit(exchange, path);
        } else {
            Exchanges.sendDetail(exchange, method.equals("POST") ? 404 : 405,
                    method.equals("POST") ? "Not Found" : "Method Not Allowed");
        }
    }

    private void routeRead(HttpExchange exchange, String method, String prefix, String requestId,
            String action) throws IOException {
        String wantedMethod = "/cancel".equals(action) ? "PUT" : "GET";
        if (!method.equals(wantedMethod)) {
            Exchanges.sendDetail(exchange, 405, "Method Not Allowed");
            return;
        }
        Optional<FalRequest> request = queue.find(requestId)
                .filter(r -> r.endpoint().matchesPrefix(prefix));
        if (request.isEmpty()) {
            answerNotFound(exchange, action);
        } else if (action == null) {
            queueEndpoints.result(exchange, request.get());
        } else if (action.equals("/status")) {
            queueEndpoints.status(exchange, request.get());
        } else if (action.equals("/status/stream")) {
            queueEndpoints.statusStream(exchange, request.get());
        } else {
            queueEndpoints.cancel(exchange, request.get());
        }
    }

    private static void answerNotFound(HttpExchange exchange, String action) throws IOException {
        if ("/cancel".equals(action)) {
            Exchanges.sendJson(exchange, 404,
                    Json.object().put("status", "NOT_FOUND"));
        } else {
            Exchanges.sendDetail(exchange, 404, "Request not found");
        }
    }

    /** Answers 401 itself when the key is missing or wrong. */
    private boolean authorized(HttpExchange exchange) throws IOException {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || header.isBlank()) {
            Exchanges.sendDetail(exchange, 401, "Missing Authorization header");
            return false;
        }
        if (!header.equals("Key " + apiKey)) {
            Exchanges.sendDetail(exchange, 401, "Invalid API key");
            return false;
        }
        return true;
    }

    private static void answerInternalError(HttpExchange exchange, RuntimeException e) {
        System.err.println("fal emulator: internal error on " + exchange.getRequestURI() + ": " + e);
        try {
            Exchanges.sendDetail(exchange, 500, "Internal Server Error");
        } catch (IOException | RuntimeException ignored) {
            // headers were already sent; handle() closes the exchange
        }
    }
}
