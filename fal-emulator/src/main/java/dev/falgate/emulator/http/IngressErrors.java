package dev.falgate.emulator.http;

import com.sun.net.httpserver.HttpExchange;
import dev.falgate.emulator.Json;
import dev.falgate.emulator.faults.Fault;
import dev.falgate.emulator.faults.FaultPlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The {@code *_http_error} faults: failures at fal's edge, before the queue sees the request.
 * A 5xx is nginx's HTML page without {@code x-fal-request-id} (what fal-client (Python) takes
 * for an ingress error worth retrying); a 429 is fal's JSON with {@code X-Fal-Needs-Retry}.
 */
final class IngressErrors {
    private static final Map<Integer, String> REASONS = Map.of(500, "Internal Server Error",
            502, "Bad Gateway", 503, "Service Temporarily Unavailable", 504, "Gateway Time-out");

    private final FaultPlan faults;

    IngressErrors(FaultPlan faults) {
        this.faults = faults;
    }

    /** Answers the error and returns true when the fault strikes this request. */
    boolean struck(Fault fault, HttpExchange exchange) throws IOException {
        if (!faults.fires(fault)) {
            return false;
        }
        int status = faults.status(fault);
        if (status == 429) {
            exchange.getResponseHeaders().set("X-Fal-Needs-Retry", "1");
            exchange.getResponseHeaders().set("X-Fal-Error-Type", "concurrent_requests_limit");
            Exchanges.sendJson(exchange, 429, Json.object()
                    .put("detail", "Too many requests, please retry later")
                    .put("error_type", "concurrent_requests_limit"));
        } else {
            Exchanges.sendBytes(exchange, status, "text/html", nginxPage(status));
        }
        return true;
    }

    private static byte[] nginxPage(int status) {
        String title = status + " " + REASONS.getOrDefault(status, "Error");
        return ("<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>"
                + title + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }
}
