package dev.falgate.emulator.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.falgate.emulator.Account;
import dev.falgate.emulator.Accounts;
import dev.falgate.emulator.Json;
import dev.falgate.emulator.faults.Fault;
import dev.falgate.emulator.faults.FaultPlan;
import dev.falgate.emulator.queue.FalRequest;
import dev.falgate.emulator.queue.RequestQueue;
import dev.falgate.emulator.webhook.WebhookSigner;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The single HTTP entry point, for direct calls and calls through fal's proxy protocol alike
 * (see {@link Call}). Unauthenticated: the JWKS, the CDN (files, uploads) and the control API.
 * Behind {@code Authorization: Key <key>}: storage initiate and the queue API, where any path
 * ending in {@code /requests/<id>[/status[/stream]|/cancel]} is a queue read (owner/app or
 * full-id prefix) and any other POST is a submit.
 */
public final class Router implements HttpHandler {
    private static final Pattern QUEUE_READ =
            Pattern.compile("^(.+)/requests/([^/]+)(/status|/status/stream|/cancel)?$");
    private static final String JWKS_PATH = ".well-known/jwks.json";

    private final QueueEndpoints queueEndpoints;
    private final ControlEndpoints controlEndpoints;
    private final FileEndpoint fileEndpoint;
    private final StorageEndpoint storageEndpoint;
    private final RequestQueue queue;
    private final WebhookSigner signer;
    private final FaultPlan faults;
    private final Accounts accounts;
    private final URI baseUrl;

    public Router(Wiring wiring) {
        this.queue = wiring.queue();
        this.signer = wiring.signer();
        this.faults = wiring.faults();
        this.accounts = wiring.accounts();
        this.baseUrl = wiring.baseUrl();
        this.queueEndpoints = new QueueEndpoints(wiring, new IngressErrors(wiring.faults()));
        this.controlEndpoints = new ControlEndpoints(wiring);
        this.fileEndpoint = new FileEndpoint(wiring.files(), wiring.uploads(), wiring.faults());
        this.storageEndpoint = new StorageEndpoint(wiring.uploads());
    }

    /** A late answer ({@link Exchanges#defer}) closes the exchange itself, after this returns. */
    @Override
    public void handle(HttpExchange exchange) {
        try {
            route(Call.of(exchange, baseUrl));
        } catch (Call.UnknownTargetException e) {
            answerQuietly(exchange, 400, e.getMessage());
        } catch (IOException e) {
            // the client went away; nothing left to answer
        } catch (RuntimeException e) {
            System.err.println("fal emulator: internal error on " + exchange.getRequestURI()
                    + ": " + e);
            answerQuietly(exchange, 500, "Internal Server Error");
        } finally {
            if (!Exchanges.takeDeferred(exchange)) {
                exchange.close();
            }
        }
    }

    private void route(Call call) throws IOException {
        switch (call.service()) {
            case QUEUE -> routeQueue(call);
            case REST -> routeRest(call);
            case EMULATOR -> routeEmulator(call);
        }
    }

    /** The emulator's own routes, then fal's REST and queue APIs (all on the one base URL). */
    private void routeEmulator(Call call) throws IOException {
        String path = call.path();
        if (path.startsWith("_emulator/")) {
            controlEndpoints.handle(call);
        } else if (path.startsWith("files/") || path.startsWith("uploads/")) {
            fileEndpoint.handle(call);
        } else if (path.equals(JWKS_PATH) || path.startsWith("storage/")) {
            routeRest(call);
        } else {
            routeQueue(call);
        }
    }

    private void routeRest(Call call) throws IOException {
        if (call.path().equals(JWKS_PATH)) {
            Exchanges.sendJson(call.exchange(), 200, signer.jwks());
        } else if (call.path().equals(StorageEndpoint.INITIATE_PATH)) {
            if (account(call).isPresent()) {
                storageEndpoint.initiate(call);
            }
        } else {
            Exchanges.sendDetail(call.exchange(), 404, "Not Found");
        }
    }

    private void routeQueue(Call call) throws IOException {
        Optional<Account> account = account(call);
        if (account.isEmpty()) {
            return;
        }
        Matcher read = QUEUE_READ.matcher(call.path());
        String method = call.method();
        if (read.matches()) {
            routeRead(call, account.get(), read.group(1), read.group(2), read.group(3));
        } else if (method.equals("POST") && !call.path().isEmpty()) {
            queueEndpoints.submit(call, call.path(), account.get());
        } else {
            Exchanges.sendDetail(call.exchange(), method.equals("POST") ? 404 : 405,
                    method.equals("POST") ? "Not Found" : "Method Not Allowed");
        }
    }

    /** Another account's request is answered as unknown (404), as fal does not reveal it. */
    private void routeRead(Call call, Account account, String prefix, String requestId,
            String action) throws IOException {
        String wantedMethod = "/cancel".equals(action) ? "PUT" : "GET";
        if (!call.method().equals(wantedMethod)) {
            Exchanges.sendDetail(call.exchange(), 405, "Method Not Allowed");
            return;
        }
        Optional<FalRequest> request = queue.find(requestId)
                .filter(r -> r.endpoint().matchesPrefix(prefix))
                .filter(r -> r.userId().equals(account.userId()));
        if (request.isEmpty()) {
            answerNotFound(call.exchange(), action);
        } else if (action == null) {
            queueEndpoints.result(call, request.get());
        } else if (action.equals("/status")) {
            queueEndpoints.status(call, request.get());
        } else if (action.equals("/status/stream")) {
            queueEndpoints.statusStream(call, request.get());
        } else {
            queueEndpoints.cancel(call, request.get());
        }
    }

    private static void answerNotFound(HttpExchange exchange, String action) throws IOException {
        if ("/cancel".equals(action)) {
            Exchanges.sendJson(exchange, 404, Json.object().put("status", "NOT_FOUND"));
        } else {
            Exchanges.sendDetail(exchange, 404, "Request not found");
        }
    }

    /**
     * The account whose key the call carries; empty after answering 401 itself when the key is
     * unknown, or missing (unless the {@code accept_missing_key} fault lets this one through,
     * as fal does for public models: it then runs as the main account).
     */
    private Optional<Account> account(Call call) throws IOException {
        String header = call.header("Authorization");
        if (header == null || header.isBlank()) {
            if (faults.fires(Fault.ACCEPT_MISSING_KEY)) {
                return Optional.of(accounts.main());
            }
            Exchanges.sendDetail(call.exchange(), 401, "Missing Authorization header");
            return Optional.empty();
        }
        Optional<Account> account = header.startsWith("Key ")
                ? accounts.byKey(header.substring("Key ".length())) : Optional.empty();
        if (account.isEmpty()) {
            Exchanges.sendDetail(call.exchange(), 401, "Invalid API key");
        }
        return account;
    }

    private static void answerQuietly(HttpExchange exchange, int status, String detail) {
        try {
            Exchanges.sendDetail(exchange, status, detail);
        } catch (IOException | RuntimeException ignored) {
            // headers were already sent; handle() closes the exchange
        }
    }
}
