package dev.falgate.emulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.falgate.catalog.Catalog;
import dev.falgate.catalog.ModelSpec;
import dev.falgate.emulator.AcceptedSubmit;
import dev.falgate.emulator.Account;
import dev.falgate.emulator.Json;
import dev.falgate.emulator.RuntimeSettings;
import dev.falgate.emulator.StatsRecorder;
import dev.falgate.emulator.StatsRecorder.Counter;
import dev.falgate.emulator.SubmitLedger;
import dev.falgate.emulator.faults.Fault;
import dev.falgate.emulator.faults.FaultPlan;
import dev.falgate.emulator.output.FileStore;
import dev.falgate.emulator.queue.CancelResult;
import dev.falgate.emulator.queue.EndpointId;
import dev.falgate.emulator.queue.FalRequest;
import dev.falgate.emulator.queue.LogEntry;
import dev.falgate.emulator.queue.Outcome;
import dev.falgate.emulator.queue.QueueState;
import dev.falgate.emulator.queue.RequestPreferences;
import dev.falgate.emulator.queue.RequestQueue;
import dev.falgate.emulator.queue.Timing;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * fal's queue API: submit, status (poll and SSE stream), result, cancel (fal-protocol.md §1).
 * The {@code submit|status|result_http_error} faults strike before anything is counted or done
 * (a refused submit queues nothing, whatever the status); {@code submit_timeout} strikes after
 * the request was queued and recorded as accepted.
 */
final class QueueEndpoints {
    static final String REQUEST_ID_HEADER = "x-fal-request-id";
    static final String BILLABLE_UNITS_HEADER = "X-Fal-Billable-Units";

    private final Catalog catalog;
    private final RequestQueue queue;
    private final StatsRecorder stats;
    private final URI baseUrl;
    private final IngressErrors ingressErrors;
    private final Duration streamKeepAlive;
    private final FaultPlan faults;
    private final SubmitLedger ledger;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final FileStore files;
    private final RuntimeSettings settings;

    QueueEndpoints(Wiring wiring, IngressErrors ingressErrors) {
        this.files = wiring.files();
        this.settings = wiring.settings();
        this.catalog = wiring.catalog();
        this.queue = wiring.queue();
        this.stats = wiring.stats();
        this.baseUrl = wiring.baseUrl();
        this.ingressErrors = ingressErrors;
        this.streamKeepAlive = wiring.streamKeepAlive();
        this.faults = wiring.faults();
        this.ledger = wiring.ledger();
        this.scheduler = wiring.scheduler();
        this.clock = wiring.clock();
    }

    void submit(Call call, String modelId, Account account) throws IOException {
        HttpExchange exchange = call.exchange();
        if (ingressErrors.struck(Fault.SUBMIT_HTTP_ERROR, exchange)) {
            return;
        }
        Optional<ModelSpec> model = catalog.find(modelId);
        if (model.isEmpty()) {
            Exchanges.sendDetail(exchange, 404, "Application '" + modelId + "' not found");
            return;
        }
        JsonNode input = parseObject(Exchanges.readBody(exchange));
        if (input == null) {
            Exchanges.sendJson(exchange, 422, notAnObject());
            return;
        }
        Optional<URI> webhook;
        try {
            webhook = webhookUrl(call);
        } catch (IllegalArgumentException e) {
            Exchanges.sendDetail(exchange, 400, "fal_webhook must be an absolute http(s) URL");
            return;
        }
        RequestPreferences preferences;
        try {
            preferences = RequestPreferences.parse(call.header(RequestPreferences.LIFECYCLE_HEADER),
                    call.header(RequestPreferences.STORE_IO_HEADER));
        } catch (IllegalArgumentException e) {
            Exchanges.sendDetail(exchange, 400, e.getMessage());
            return;
        }
        FalRequest request = queue.submit(model.get(), EndpointId.parse(modelId),
                (ObjectNode) input, webhook.orElse(null), account.userId(), preferences);
        if (preferences.objectExpiry() != null) {
            files.expireAfter(request.id(), Timing.scaled(preferences.objectExpiry(), settings.speed()));
        }
        stats.increment(modelId, Counter.SUBMITS);
        ledger.add(new AcceptedSubmit(request.id(), modelId, account.userId(),
                webhook.map(URI::toString).orElse(null), clock.instant(), preferences));
        exchange.getResponseHeaders().set(REQUEST_ID_HEADER, request.id());
        ObjectNode answer = accepted(request);
        if (faults.fires(Fault.SUBMIT_TIMEOUT)) {
            answerLate(exchange, answer, faults.delay(Fault.SUBMIT_TIMEOUT));
        } else {
            Exchanges.sendJson(exchange, 200, answer);
        }
    }

    /**
     * The {@code submit_timeout} fault: the request is queued and runs, but the answer leaves
     * {@code delay} later, from the scheduler, so no request thread waits meanwhile.
     */
    private void answerLate(HttpExchange exchange, ObjectNode answer, Duration delay) {
        Exchanges.defer(exchange);
        scheduler.schedule(() -> {
            try {
                Exchanges.sendJson(exchange, 200, answer);
            } catch (IOException e) {
                // the client gave up waiting, as intended
            } finally {
                exchange.close();
            }
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private ObjectNode accepted(FalRequest request) {
        ObjectNode body = Json.object().put("status", QueueState.IN_QUEUE.name())
                .put("request_id", request.id())
                .put("gateway_request_id", request.id());
        addUrls(body, request);
        return body.put("queue_position", queue.queuePosition(request));
    }

    void status(Call call, FalRequest request) throws IOException {
        if (ingressErrors.struck(Fault.STATUS_HTTP_ERROR, call.exchange())) {
            return;
        }
        stats.increment(request.model().id(), Counter.STATUS_POLLS);
        FalRequest.View view = request.view();
        ObjectNode body = statusBody(request, view, logsWanted(call), 0);
        Exchanges.sendJson(call.exchange(), view.state() == QueueState.COMPLETED ? 200 : 202,
                body);
    }

    /**
     * Server-sent events: one per change (with only the new log lines, or a new queue
     * position), {@code : ping} comments in between so clients never see a silent stream.
     */
    void statusStream(Call call, FalRequest request) throws IOException {
        HttpExchange exchange = call.exchange();
        if (ingressErrors.struck(Fault.STATUS_HTTP_ERROR, exchange)) {
            return;
        }
        stats.increment(request.model().id(), Counter.STATUS_POLLS);
        boolean logs = logsWanted(call);
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.getResponseHeaders().set(REQUEST_ID_HEADER, request.id());
        exchange.sendResponseHeaders(200, 0);
        try {
            streamUntilCompleted(exchange.getResponseBody(), request, logs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void streamUntilCompleted(OutputStream out, FalRequest request, boolean logs)
            throws IOException, InterruptedException {
        long seenVersion = -1;
        int sentLogs = 0;
        while (true) {
            FalRequest.View view = request.awaitChange(seenVersion, streamKeepAlive.toMillis());
            if (view.version() == seenVersion) {
                write(out, ": ping\n\n");
                continue;
            }
            ObjectNode event = statusBody(request, view, logs, sentLogs);
            write(out, "data: " + new String(Exchanges.toBytes(event), StandardCharsets.UTF_8)
                    + "\n\n");
            seenVersion = view.version();
            sentLogs = view.logs().size();
            if (view.state() == QueueState.COMPLETED) {
                return;
            }
        }
    }

    void result(Call call, FalRequest request) throws IOException {
        HttpExchange exchange = call.exchange();
        if (ingressErrors.struck(Fault.RESULT_HTTP_ERROR, exchange)) {
            return;
        }
        stats.increment(request.model().id(), Counter.RESULT_READS);
        exchange.getResponseHeaders().set(REQUEST_ID_HEADER, request.id());
        Outcome outcome = request.view().outcome();
        if (outcome == null) {
            Exchanges.sendDetail(exchange, 400, "Request is still in progress");
            return;
        }
        if (outcome.errorType() != null && outcome.httpStatus() != 422) {
            exchange.getResponseHeaders().set("X-Fal-Error-Type", outcome.errorType());
        }
        if (outcome.succeeded()) {
            // what fal bills, on the result read as fal sends it (never on a failure: 5xx are not billed)
            exchange.getResponseHeaders().set(BILLABLE_UNITS_HEADER, Integer.toString(outcome.billableUnits()));
        }
        Exchanges.sendJson(exchange, outcome.httpStatus(), outcome.body());
    }

    void cancel(Call call, FalRequest request) throws IOException {
        stats.increment(request.model().id(), Counter.CANCELS);
        CancelResult result = queue.cancel(request);
        Exchanges.sendJson(call.exchange(), result.httpStatus(), Json.object().put("status",
                result.name()));
    }

    private ObjectNode statusBody(FalRequest request, FalRequest.View view, boolean logs,
            int skipLogs) {
        ObjectNode body = Json.object().put("status", view.state().name())
                .put("request_id", request.id());
        addUrls(body, request);
        switch (view.state()) {
            case IN_QUEUE -> body.put("queue_position", queue.queuePosition(request));
            case IN_PROGRESS -> body.set("logs", logs(view.logs(), logs, skipLogs));
            case COMPLETED -> addCompletion(body, view, logs, skipLogs);
        }
        return body;
    }

    /** Clients read {@code logs} unconditionally once running, so the key is always there. */
    private static ArrayNode logs(List<LogEntry> entries, boolean wanted, int skip) {
        ArrayNode array = Json.array();
        if (wanted) {
            entries.stream().skip(skip).forEach(e -> array.add(e.toJson()));
        }
        return array;
    }

    private static void addCompletion(ObjectNode body, FalRequest.View view, boolean logs,
            int skipLogs) {
        body.set("logs", logs(view.logs(), logs, skipLogs));
        body.putObject("metrics").put("inference_time", view.inferenceSeconds());
        Outcome outcome = view.outcome();
        if (!outcome.succeeded()) {
            body.put("error", outcome.error()).put("error_type", outcome.errorType());
        }
    }

    /** Owner/app-only URLs, as fal returns them (§1.1), whatever id was submitted. */
    private void addUrls(ObjectNode body, FalRequest request) {
        String base = baseUrl + "/" + request.endpoint().appPath() + "/requests/" + request.id();
        body.put("response_url", base).put("status_url", base + "/status")
                .put("cancel_url", base + "/cancel");
    }

    /** fal-js sends logs=1/0, fal-client (Python) logs=true/false. */
    private static boolean logsWanted(Call call) {
        String value = call.query().getOrDefault("logs", "");
        return value.equals("1") || value.equalsIgnoreCase("true");
    }

    /** Empty when absent; IllegalArgumentException when present but not an http(s) URL. */
    private static Optional<URI> webhookUrl(Call call) {
        String raw = call.query().get("fal_webhook");
        if (raw == null || raw.isEmpty()) {
            return Optional.empty();
        }
        URI uri = URI.create(raw);
        boolean http = "http".equalsIgnoreCase(uri.getScheme())
                || "https".equalsIgnoreCase(uri.getScheme());
        if (!http || uri.getHost() == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + raw);
        }
        return Optional.of(uri);
    }

    private static JsonNode parseObject(byte[] body) {
        try {
            JsonNode node = Json.MAPPER.readTree(body.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static ObjectNode notAnObject() {
        ObjectNode body = Json.object();
        body.putArray("detail").addObject().put("msg", "value is not a valid dict")
                .put("type", "type_error.dict").putArray("loc").add("body");
        return body;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
