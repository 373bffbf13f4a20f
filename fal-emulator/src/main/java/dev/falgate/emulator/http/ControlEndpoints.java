package dev.falgate.emulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.falgate.emulator.Json;
import dev.falgate.emulator.RuntimeSettings;
import dev.falgate.emulator.StatsRecorder;
import java.io.IOException;

/**
 * The emulator's own control API (not fal's): {@code GET /_emulator/stats},
 * {@code GET|POST /_emulator/config} with {@code {"drop_webhooks": bool, "speed": number}}.
 */
final class ControlEndpoints {
    private final RuntimeSettings settings;
    private final StatsRecorder stats;

    ControlEndpoints(RuntimeSettings settings, StatsRecorder stats) {
        this.settings = settings;
        this.stats = stats;
    }

    void handle(HttpExchange exchange, String path) throws IOException {
        String method = exchange.getRequestMethod();
        if (path.equals("_emulator/stats") && method.equals("GET")) {
            Exchanges.sendJson(exchange, 200, Json.MAPPER.valueToTree(stats.snapshot()));
        } else if (path.equals("_emulator/config") && method.equals("GET")) {
            sendConfig(exchange);
        } else if (path.equals("_emulator/config") && method.equals("POST")) {
            updateConfig(exchange);
        } else {
            Exchanges.sendDetail(exchange, 404, "Not Found");
        }
    }

    private void updateConfig(HttpExchange exchange) throws IOException {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(Exchanges.readBody(exchange));
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            Exchanges.sendDetail(exchange, 400, "expected a JSON object");
            return;
        }
        try {
            apply(body);
        } catch (IllegalArgumentException e) {
            Exchanges.sendDetail(exchange, 400, e.getMessage());
            return;
        }
        sendConfig(exchange);
    }

    private void apply(JsonNode body) {
        JsonNode drop = body.get("drop_webhooks");
        JsonNode speed = body.get("speed");
        if (drop != null && !drop.isBoolean()) {
            throw new IllegalArgumentException("drop_webhooks must be a boolean");
        }
        if (speed != null && !speed.isNumber()) {
            throw new IllegalArgumentException("speed must be a number");
        }
        if (speed != null) {
            settings.setSpeed(speed.asDouble());
        }
        if (drop != null) {
            settings.setDropWebhooks(drop.asBoolean());
        }
    }

    private void sendConfig(HttpExchange exchange) throws IOException {
        Exchanges.sendJson(exchange, 200, Json.object()
                .put("drop_webhooks", settings.dropWebhooks())
                .put("speed", settings.speed()));
    }
}
