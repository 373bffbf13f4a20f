package dev.falgate.emulator;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A webhook endpoint on 127.0.0.1 recording every POST, answering scripted status codes. */
final class WebhookReceiver implements AutoCloseable {

    record Delivery(String path, Headers headers, byte[] body) {
        String header(String name) {
            return headers.getFirst(name);
        }
    }

    private final HttpServer server;
    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    private final Deque<Integer> scriptedStatuses = new ArrayDeque<>();

    WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            deliveries.add(new Delivery(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders(), body));
            int status = nextStatus();
            if (status / 100 == 3) {
                exchange.getResponseHeaders().set("Location", "http://127.0.0.1:1/elsewhere");
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    /** Answers these codes to the next POSTs, then 200. */
    synchronized void respondWith(Integer... statuses) {
        scriptedStatuses.addAll(List.of(statuses));
    }

    private synchronized int nextStatus() {
        Integer next = scriptedStatuses.poll();
        return next == null ? 200 : next;
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** The next delivery, waiting at most {@code timeout}; null if none came. */
    Delivery next(Duration timeout) throws InterruptedException {
        return deliveries.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    int pending() {
        return deliveries.size();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
