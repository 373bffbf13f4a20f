package dev.falgate.emulator.outputs;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Input files on 127.0.0.1, standing in for the presigned URLs falgate hands fal: any number of
 * named files (the shared {@code InputServer} serves one fixed picture, and is package-private).
 */
final class LocalFiles implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    LocalFiles() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body = files.get(exchange.getRequestURI().getPath().substring(1));
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

    /** Serves {@code bytes} under {@code name} and returns its URL (with a presign-like query). */
    String serve(String name, byte[] bytes) {
        files.put(name, bytes);
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name
                + "?X-Amz-Signature=abc%2Fdef";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
