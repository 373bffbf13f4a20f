package dev.falgate.emulator.http;

import com.sun.net.httpserver.HttpExchange;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One HTTP request as the emulator routes it: which fal service it addresses, and the path and
 * query there. A request carrying {@code x-fal-target-url} is a call through fal's client-side
 * proxy protocol (fal-protocol.md §4): the target URL, not the request URL, says where it goes,
 * and fal's hosts map onto the emulator's own routes.
 *
 * @param path without leading or trailing slashes, runs of "/" collapsed (like fal-js)
 */
record Call(HttpExchange exchange, Service service, String path, Map<String, String> query) {
    static final String TARGET_URL_HEADER = "x-fal-target-url";
    private static final Set<String> QUEUE_HOSTS = Set.of("queue.fal.run");
    private static final Set<String> REST_HOSTS = Set.of("rest.fal.ai", "rest.alpha.fal.ai");

    enum Service {
        /** Addressed to the emulator itself: its own routes first, then the queue API. */
        EMULATOR,
        /** {@code queue.fal.run}. */
        QUEUE,
        /** {@code rest.fal.ai}: storage and the JWKS. */
        REST
    }

    /** The target URL names a host the emulator does not play (e.g. fal.run). */
    static final class UnknownTargetException extends Exception {
        private static final long serialVersionUID = 1L;

        UnknownTargetException(String message) {
            super(message);
        }
    }

    static Call of(HttpExchange exchange, URI baseUrl) throws UnknownTargetException {
        String target = exchange.getRequestHeaders().getFirst(TARGET_URL_HEADER);
        URI uri = target == null ? exchange.getRequestURI() : parseTarget(target);
        Service service = target == null ? Service.EMULATOR : service(uri, baseUrl);
        return new Call(exchange, service, normalizedPath(uri.getPath()),
                Exchanges.query(uri.getRawQuery()));
    }

    String method() {
        return exchange.getRequestMethod();
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    private static URI parseTarget(String target) throws UnknownTargetException {
        try {
            URI uri = URI.create(target);
            if (uri.getHost() == null) {
                throw new UnknownTargetException("x-fal-target-url is not an absolute URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new UnknownTargetException("x-fal-target-url is not a URL");
        }
    }

    /** URLs the emulator handed out (status_url...) may come back through the proxy too. */
    private static Service service(URI target, URI baseUrl) throws UnknownTargetException {
        String host = target.getHost().toLowerCase(Locale.ROOT);
        if (QUEUE_HOSTS.contains(host)) {
            return Service.QUEUE;
        }
        if (REST_HOSTS.contains(host)) {
            return Service.REST;
        }
        if (target.getRawAuthority().equals(baseUrl.getRawAuthority())) {
            return Service.EMULATOR;
        }
        throw new UnknownTargetException("x-fal-target-url host is not emulated: " + host
                + " (emulated: queue.fal.run, rest.fal.ai)");
    }

    private static String normalizedPath(String rawPath) {
        String path = (rawPath == null ? "" : rawPath).replaceAll("/{2,}", "/");
        int start = path.startsWith("/") ? 1 : 0;
        int end = path.endsWith("/") && path.length() > start ? path.length() - 1 : path.length();
        return path.substring(start, Math.max(start, end));
    }
}
