package dev.falgate.emulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.falgate.emulator.AcceptedSubmit;
import dev.falgate.emulator.Account;
import dev.falgate.emulator.Accounts;
import dev.falgate.emulator.FalEmulatorConfig;
import dev.falgate.emulator.Json;
import dev.falgate.emulator.RuntimeSettings;
import dev.falgate.emulator.StatsRecorder;
import dev.falgate.emulator.SubmitLedger;
import dev.falgate.emulator.faults.Fault;
import dev.falgate.emulator.faults.FaultPlan;
import dev.falgate.emulator.queue.RequestQueue;
import dev.falgate.emulator.webhook.WebhookSigner;
import java.io.IOException;
import java.util.function.Predicate;

/**
 * The emulator's own control API (not fal's), unauthenticated:
 * <ul>
 *   <li>{@code GET /_emulator/stats} - counters per model and per fault knob;</li>
 *   <li>{@code GET|POST /_emulator/config} - {@code {"drop_webhooks": bool, "speed": number,
 *       "concurrency": int (0 = unlimited), "expire_results": bool}}, all optional in a POST;</li>
 *   <li>{@code GET|POST /_emulator/faults} - the fault knobs (shape in
 *       {@link dev.falgate.emulator.faults.FaultSettings}), plus {@code fired} counts and the
 *       {@code available} knobs with their parameters;</li>
 *   <li>{@code POST /_emulator/rotate-keys} - a newer webhook key signs from now on; answers the
 *       new JWKS (the previous key stays published);</li>
 *   <li>{@code POST /_emulator/accounts} - 201 {@code {"key", "user_id"}}: a further fal
 *       account (see {@link dev.falgate.emulator.Accounts});</li>
 *   <li>{@code GET /_emulator/requests} - {@code {"requests": [{"request_id", "model_id",
 *       "user_id", "webhook_url", "accepted_at"}]}}: every accepted submit, in order.</li>
 * </ul>
 */
final class ControlEndpoints {
    private final RuntimeSettings settings;
    private final StatsRecorder stats;
    private final FaultPlan faults;
    private final WebhookSigner signer;
    private final RequestQueue queue;
    private final Accounts accounts;
    private final SubmitLedger ledger;

    ControlEndpoints(Wiring wiring) {
        this.queue = wiring.queue();
        this.settings = wiring.settings();
        this.stats = wiring.stats();
        this.faults = wiring.faults();
        this.signer = wiring.signer();
        this.accounts = wiring.accounts();
        this.ledger = wiring.ledger();
    }

    void handle(Call call) throws IOException {
        HttpExchange exchange = call.exchange();
        String route = call.method() + " " + call.path();
        switch (route) {
            case "GET _emulator/stats" ->
                    Exchanges.sendJson(exchange, 200, Json.MAPPER.valueToTree(stats.snapshot()));
            case "GET _emulator/config" -> sendConfig(exchange);
            case "POST _emulator/config" -> update(exchange, this::applyConfig, this::sendConfig);
            case "GET _emulator/faults" -> sendFaults(exchange);
            case "POST _emulator/faults" -> update(exchange, faults::update, this::sendFaults);
            case "POST _emulator/accounts" -> {
                Account account = accounts.create();
                Exchanges.sendJson(exchange, 201, Json.object().put("key", account.key())
                        .put("user_id", account.userId()));
            }
            case "GET _emulator/requests" -> sendAcceptedSubmits(exchange);
            case "POST _emulator/rotate-keys" -> {
                signer.rotate();
                Exchanges.sendJson(exchange, 200, signer.jwks());
            }
            default -> Exchanges.sendDetail(exchange, 404, "Not Found");
        }
    }

    private interface Update {
        void apply(JsonNode body);
    }

    private interface Answer {
        void send(HttpExchange exchange) throws IOException;
    }

    /** Applies a JSON object body; 400 with the reason when it is malformed or invalid. */
    private static void update(HttpExchange exchange, Update update, Answer answer)
            throws IOException {
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
            update.apply(body);
        } catch (IllegalArgumentException e) {
            Exchanges.sendDetail(exchange, 400, e.getMessage());
            return;
        }
        answer.send(exchange);
    }

    /** Checks every field before changing anything, so a bad body changes nothing. */
    private void applyConfig(JsonNode body) {
        JsonNode drop = field(body, "drop_webhooks", JsonNode::isBoolean, "a boolean");
        JsonNode speed = field(body, "speed", JsonNode::isNumber, "a number");
        JsonNode concurrency = field(body, "concurrency", JsonNode::canConvertToExactIntegral,
                "an integer");
        JsonNode expire = field(body, "expire_results", JsonNode::isBoolean, "a boolean");
        if (speed != null) {
            FalEmulatorConfig.requirePositive(speed.asDouble());
        }
        if (concurrency != null) {
            FalEmulatorConfig.requireConcurrency(concurrency.asInt());
        }
        if (speed != null) {
            settings.setSpeed(speed.asDouble());
        }
        if (concurrency != null) {
            settings.setConcurrency(concurrency.asInt());
            queue.concurrencyChanged();
        }
        if (drop != null) {
            settings.setDropWebhooks(drop.asBoolean());
        }
        if (expire != null) {
            settings.setExpireResults(expire.asBoolean());
        }
    }

    private static JsonNode field(JsonNode body, String name, Predicate<JsonNode> valid,
            String what) {
        JsonNode value = body.get(name);
        if (value != null && !valid.test(value)) {
            throw new IllegalArgumentException(name + " must be " + what);
        }
        return value;
    }

    private void sendConfig(HttpExchange exchange) throws IOException {
        Exchanges.sendJson(exchange, 200, Json.object()
                .put("drop_webhooks", settings.dropWebhooks())
                .put("speed", settings.speed())
                .put("concurrency", settings.concurrency())
                .put("expire_results", settings.expireResults()));
    }

    private void sendAcceptedSubmits(HttpExchange exchange) throws IOException {
        ObjectNode body = Json.object();
        ArrayNode requests = body.putArray("requests");
        for (AcceptedSubmit submit : ledger.list()) {
            requests.addObject().put("request_id", submit.requestId())
                    .put("model_id", submit.modelId())
                    .put("user_id", submit.userId())
                    .put("webhook_url", submit.webhookUrl())
                    .put("accepted_at", submit.acceptedAt().toString())
                    .put("object_lifecycle_preference", submit.preferences().lifecycleHeader())
                    .put("store_io", submit.preferences().storeIoHeader());
        }
        Exchanges.sendJson(exchange, 200, body);
    }

    private void sendFaults(HttpExchange exchange) throws IOException {
        ObjectNode body = faults.current().toJson();
        body.set("fired", Json.MAPPER.valueToTree(stats.snapshot().faults()));
        ObjectNode available = body.putObject("available");
        for (Fault fault : Fault.values()) {
            ArrayNode params = available.putArray(fault.wireName());
            for (Fault.Param param : Fault.Param.values()) {
                if (fault.accepts(param)) {
                    params.add(param.wireName());
                }
            }
        }
        Exchanges.sendJson(exchange, 200, body);
    }
}
