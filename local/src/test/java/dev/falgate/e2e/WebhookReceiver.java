package dev.falgate.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A partner's webhook receiver on 127.0.0.1: records every delivery as it arrived (headers and
 * the raw body) per path, and answers each path from a script of status codes (the last one
 * repeats; 204 when none).
 */
final class WebhookReceiver implements AutoCloseable {
    record Delivery(String path, String id, String timestamp, String signature, String body) {
        com.fasterxml.jackson.databind.JsonNode json() {
            try {
                return Api.JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError(body, e);
            }
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final Map<String, ConcurrentLinkedQueue<Integer>> scripts = new ConcurrentHashMap<>();

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                var h = exchange.getRequestHeaders();
                deliveries.add(new Delivery(path, h.getFirst("webhook-id"), h.getFirst("webhook-timestamp"),
                        h.getFirst("webhook-signature"),
                        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                exchange.sendResponseHeaders(next(path), -1);
            }
        });
        server.setExecutor(threads);
        server.start();
    }

    /** {@code path} answers these status codes in turn, then the last one for good. */
    WebhookReceiver answer(String path, Integer... statuses) {
        scripts.put(path, new ConcurrentLinkedQueue<>(List.of(statuses)));
        return this;
    }

    private int next(String path) {
        ConcurrentLinkedQueue<Integer> script = scripts.get(path);
        if (script == null || script.isEmpty()) {
            return 204;
        }
        return script.size() > 1 ? script.poll() : script.peek();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Delivery> at(String path) {
        return deliveries.stream().filter(d -> d.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
