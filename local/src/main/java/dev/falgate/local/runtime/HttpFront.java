package dev.falgate.local.runtime;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.falgate.local.Base64Bodies;
import dev.falgate.local.template.BucketDef.CorsRule;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local API Gateway: a JDK HTTP server that routes every request like an HTTP API (payload
 * 2.0) to the function owning the route, and turns the function's response back into HTTP.
 * Gateway-made answers use API Gateway's own bodies: 404 {@code {"message":"Not Found"}} for no
 * route, 500 {@code {"message":"Internal Server Error"}} when the handler throws, 503 when it
 * times out, 413 / 502 past Lambda's payload limit.
 */
public final class HttpFront implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpFront.class);
    /** One line per request, for ./falgate local's console (tests turn it down). */
    private static final Logger ACCESS = LoggerFactory.getLogger("dev.falgate.local.access");
    /** One per invocation that may run at once: an HTTP thread waits for its handler. */
    private static final int IO_THREADS = 16;
    /**
     * Lambda's synchronous payload limit (6 MiB) applies to the event, body included after base64,
     * and to the response; API Gateway answers 413 and 502 when they are crossed.
     */
    static final int LAMBDA_PAYLOAD_LIMIT = 6 * 1024 * 1024;

    private final HttpServer server;
    private final ExecutorService ioThreads;
    private final RouteTable routes;
    private final Map<String, FunctionRuntime> functionsByRouteKey;
    private final ApiGatewayEvents events;
    private final Optional<CorsPolicy> cors;

    private HttpFront(HttpServer server, ExecutorService ioThreads, RouteTable routes,
            Map<String, FunctionRuntime> functionsByRouteKey, ApiGatewayEvents events, Optional<CorsPolicy> cors) {
        this.server = server;
        this.ioThreads = ioThreads;
        this.routes = routes;
        this.functionsByRouteKey = functionsByRouteKey;
        this.events = events;
        this.cors = cors;
    }

    /** Serves every HttpApi route of {@code functions}; port 0 picks a free one. */
    public static HttpFront start(String bindAddress, int port, List<FunctionRuntime> functions, String accountId,
            Base64Bodies base64Bodies, long seed, Optional<CorsRule> cors) {
        Map<String, FunctionRuntime> byRoute = new HashMap<>();
        functions.forEach(f -> f.function().routes().forEach(r -> {
            FunctionRuntime previous = byRoute.put(r.routeKey(), f);
            if (previous != null) {
                throw new IllegalArgumentException("route " + r.routeKey() + " is declared by "
                        + previous.function().logicalId() + " and " + f.function().logicalId());
            }
        }));
        RouteTable table = new RouteTable(functions.stream().flatMap(f -> f.function().routes().stream()).toList());
        ExecutorService io = Executors.newFixedThreadPool(IO_THREADS, Threads.daemons("falgate-http-"));
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, port), 64);
            HttpFront front = new HttpFront(server, io, table, byRoute,
                    new ApiGatewayEvents(accountId, new BodyEncoder(base64Bodies, seed)),
                    cors.map(CorsPolicy::new));
            server.createContext("/", front::handle);
            server.setExecutor(io);
            server.start();
            return front;
        } catch (IOException e) {
            io.shutdownNow();
            throw new UncheckedIOException("cannot listen on " + bindAddress + ":" + port, e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) {
        long started = System.nanoTime();
        try (exchange) {
            String requestId = ApiGatewayEvents.newRequestId();
            exchange.getResponseHeaders().set("apigw-requestid", requestId);
            String method = exchange.getRequestMethod();
            String origin = exchange.getRequestHeaders().getFirst("Origin");
            cors.ifPresent(c -> c.addResponseHeaders(origin, exchange.getResponseHeaders()));
            if (cors.isPresent() && CorsPolicy.isPreflight(exchange)) {
                cors.get().addPreflightHeaders(origin, exchange.getResponseHeaders());
                send(exchange, 204, new byte[0]);
                return;
            }
            Optional<RouteTable.Match> match = routes.match(method, exchange.getRequestURI().getRawPath());
            if (match.isEmpty()) {
                sendGatewayError(exchange, 404, "Not Found");
                return;
            }
            invoke(exchange, match.get(), requestId);
        } catch (IOException | RuntimeException e) {
            LOG.warn("request {} {} could not be answered", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        }
        ACCESS.info("{} {} -> {} ({} ms)", exchange.getRequestMethod(), accessTarget(exchange.getRequestURI()),
                exchange.getResponseCode(), (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * The path and query string as the access log shows them; a {@code token} parameter's value
     * (a job's webhook token) is masked, since a console is easily shared.
     */
    static String accessTarget(java.net.URI uri) {
        String query = uri.getRawQuery();
        return query == null ? uri.getRawPath()
                : uri.getRawPath() + "?" + query.replaceAll("(^|&)(token=)[^&]*", "$1$2***");
    }

    private void invoke(HttpExchange exchange, RouteTable.Match match, String requestId) throws IOException {
        FunctionRuntime function = functionsByRouteKey.get(match.route().routeKey());
        byte[] body = exchange.getRequestBody().readAllBytes();
        APIGatewayV2HTTPEvent event = events.toEvent(exchange, match, body, requestId);
        if (event.getBody() != null && payloadSize(event.getBody(), event.getIsBase64Encoded()) > LAMBDA_PAYLOAD_LIMIT) {
            sendGatewayError(exchange, 413, "Request Entity Too Large");
            return;
        }
        Object result;
        try {
            result = function.invoke(event);
        } catch (FunctionRuntime.InvocationFailure failure) {
            LOG.warn("{} {}: {}", match.route().routeKey(), requestId, failure.getMessage());
            sendGatewayError(exchange, failure.timedOut() ? 503 : 500,
                    failure.timedOut() ? "Service Unavailable" : "Internal Server Error");
            return;
        }
        if (!(result instanceof APIGatewayV2HTTPResponse response) || response.getStatusCode() < 100) {
            LOG.warn("{} returned no valid APIGatewayV2HTTPResponse: {}", match.route().routeKey(), result);
            sendGatewayError(exchange, 500, "Internal Server Error");
            return;
        }
        if (response.getBody() != null
                && payloadSize(response.getBody(), response.getIsBase64Encoded()) > LAMBDA_PAYLOAD_LIMIT) {
            LOG.warn("{} returned more than Lambda's 6 MiB response limit", match.route().routeKey());
            sendGatewayError(exchange, 502, "Internal Server Error");
            return;
        }
        sendResponse(exchange, response);
    }

    private static int payloadSize(String body, boolean base64) {
        return base64 ? body.length() : body.getBytes(StandardCharsets.UTF_8).length;
    }

    private static void sendResponse(HttpExchange exchange, APIGatewayV2HTTPResponse response) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        if (response.getHeaders() != null) {
            response.getHeaders().forEach(headers::set);
        }
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((name, values) -> values.forEach(v -> headers.add(name, v)));
        }
        if (response.getCookies() != null) {
            response.getCookies().forEach(cookie -> headers.add("Set-Cookie", cookie));
        }
        String body = response.getBody();
        byte[] bytes = body == null ? new byte[0]
                : response.getIsBase64Encoded() ? Base64.getDecoder().decode(body)
                : body.getBytes(StandardCharsets.UTF_8);
        send(exchange, response.getStatusCode(), bytes);
    }

    private static void sendGatewayError(HttpExchange exchange, int status, String message) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, status, ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        boolean noBody = body.length == 0 || status == 204 || status == 304
                || exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ioThreads.shutdownNow();
    }
}
