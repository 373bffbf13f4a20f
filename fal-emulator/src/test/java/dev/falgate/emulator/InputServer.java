package dev.falgate.emulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Serves test inputs on 127.0.0.1, standing in for S3 presigned GET URLs: the PNG at
 * {@code /input.png}, a LoRA at {@code /lora.safetensors}, whatever a test adds with
 * {@link #serve}, and 404 for anything else.
 */
public final class InputServer implements AutoCloseable {
    static final byte[] PNG = TestImages.png(TestImages.subject());
    static final byte[] SAFETENSORS = "{\"__metadata__\":{}}".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final List<URI> requested = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>(Map.of("/input.png", PNG,
            "/lora.safetensors", SAFETENSORS, "/not-an-image.png", "hello".getBytes(StandardCharsets.UTF_8)));

    public InputServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            requested.add(exchange.getRequestURI());
            byte[] body = files.get(exchange.getRequestURI().getPath());
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    /** A URL with a query string, like a presigned URL, that must arrive unchanged. */
    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path
                + "?X-Amz-Signature=abc%2Fdef&X-Amz-Expires=300";
    }

    /** Serves {@code bytes} under {@code name} and returns its presign-like URL. */
    public String serve(String name, byte[] bytes) {
        files.put("/" + name, bytes);
        return url("/" + name);
    }

    /** The raw request URIs received, in order. */
    List<URI> requested() {
        return List.copyOf(requested);
    }

    String imageUrl() {
        return url("/input.png");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
