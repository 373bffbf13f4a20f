package dev.falgate.read;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.Services;
import dev.falgate.auth.Authenticator;
import dev.falgate.catalog.Catalog;
import dev.falgate.http.ApiRequest;
import dev.falgate.http.ApiResponses;
import dev.falgate.http.HttpFunction;
import dev.falgate.http.Json;
import dev.falgate.openapi.OpenApiContract;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/** The read side: the model catalog, a tenant's jobs, and the web page. */
public final class ReadHandler extends HttpFunction {
    public static final java.util.List<String> ROUTES = java.util.List.of(
            "GET /v1/models", "GET /v1/openapi.json", "GET /v1/jobs", "GET /v1/jobs/{id}", "GET /", "GET /ui/{file}",
            "GET /ui/vendor/{file}", "$default");

    private final Authenticator auth;
    private final JobQueries queries;
    private final Supplier<JsonNode> models;
    private final Supplier<JsonNode> contract;
    /** Derived once per container, on the first page request (presigning is local: no network). */
    private final Supplier<String> csp;

    public ReadHandler() {
        this(System.getenv());
    }

    public ReadHandler(Map<String, String> env) {
        this(new Services(env));
    }

    private ReadHandler(Services s) {
        // a key under outputs/, which this role may read: the (never used) URL is one the role could sign
        this(s.authenticator(), s.jobQueries(), s.catalog(), () -> s.blobs().presignGet("outputs/csp-origin", Duration.ofMinutes(1)));
        dev.falgate.Priming.read(s, this);
    }

    /** Tests: a page whose CSP names no bucket. */
    public ReadHandler(Authenticator auth, JobQueries queries, Catalog catalog) {
        this(auth, queries, catalog, null);
    }

    /** @param bucketUrl any presigned URL of the bucket: the CSP names its origin */
    public ReadHandler(Authenticator auth, JobQueries queries, Catalog catalog, Supplier<URL> bucketUrl) {
        this.auth = auth;
        this.queries = queries;
        // rendered on first use, like the contract: the smaller the INIT, the faster a cold start without SnapStart
        this.models = memoize(() -> Json.object().set("models", Json.mapper().valueToTree(catalog.models())));
        // built on first use: only GET /v1/openapi.json needs it, not every cold start
        this.contract = memoize(() -> OpenApiContract.document(catalog));
        this.csp = memoize(() -> ContentSecurityPolicy.header(
                bucketUrl == null ? null : ContentSecurityPolicy.origin(bucketUrl.get()), WebAssets.shipsWasm()));
    }

    @Override
    protected APIGatewayV2HTTPResponse route(ApiRequest request) {
        switch (request.routeKey()) {
            case "GET /":
                return WebAssets.page("index.html", request.header("if-none-match"), csp.get());
            case "GET /ui/{file}":
                return WebAssets.page(request.pathParameter("file"), request.header("if-none-match"), csp.get());
            case "GET /ui/vendor/{file}":
                return WebAssets.vendor(request.pathParameter("file"), request.header("if-none-match"), csp.get());
            case "GET /v1/openapi.json": // public: clients are generated from it before anyone has a key
                return ApiResponses.json(200, contract.get());
            case "$default": // API Gateway's catch-all: no other route matched, no key needed to learn that
                throw noRoute(request);
            default:
                break;
        }
        String tenant = auth.tenant(request);
        return switch (request.routeKey()) {
            case "GET /v1/models" -> ApiResponses.json(200, models.get());
            case "GET /v1/jobs" -> ApiResponses.json(200, queries.list(tenant, request));
            case "GET /v1/jobs/{id}" -> ApiResponses.json(200, job(tenant, request));
            default -> throw noRoute(request);
        };
    }

    /**
     * The job; with {@code ?wait=N}, once it has ended or after N s (cut like {@code Prefer: wait} to
     * the time the function has left), as it then stands. Always 200: the body's status tells.
     */
    private JsonNode job(String tenant, ApiRequest request) {
        String id = request.pathParameter("id");
        return WaitPreference.fromQuery(request.query(WaitPreference.QUERY_PARAMETER))
                .<JsonNode>map(wait -> queries.awaitEnd(tenant, id, JobWaiter.budget(wait, request.remainingTime())))
                .orElseGet(() -> queries.get(tenant, id));
    }

    private static <T> Supplier<T> memoize(Supplier<T> factory) {
        java.util.concurrent.atomic.AtomicReference<T> value = new java.util.concurrent.atomic.AtomicReference<>();
        return () -> value.updateAndGet(v -> v != null ? v : factory.get());
    }
}
