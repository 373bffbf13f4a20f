package dev.falgate.proxy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.auth.ApiKeyStore;
import dev.falgate.auth.BrowserTokens;
import dev.falgate.auth.BrowserTokens.Grant;
import dev.falgate.catalog.Catalog;
import dev.falgate.http.ApiException;
import dev.falgate.http.ApiRequest;
import dev.falgate.http.FieldError;
import dev.falgate.http.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code /api/fal/proxy} (GET, POST, PUT: the path and methods of {@code @fal-ai/server-proxy})
 * and {@code POST /v1/tokens}. The caller is a tenant by a falgate API key or a browser token,
 * as {@code Authorization: Bearer <credential>} (the client's {@code requestMiddleware}) or
 * {@code Authorization: Key <credential>} (what {@code fal.config({credentials})} sends, also
 * through a proxy). Every answer on the proxy route is in fal's shapes, errors included.
 */
public final class FalProxyApi {
    public static final Set<String> PROXY_ROUTES = Set.of(
            "GET /api/fal/proxy", "POST /api/fal/proxy", "PUT /api/fal/proxy");
    public static final String TOKENS_ROUTE = "POST /v1/tokens";

    private final ApiKeyStore keys;
    private final BrowserTokens tokens;
    private final Catalog catalog;
    private final FalProxyService service;

    public FalProxyApi(ApiKeyStore keys, BrowserTokens tokens, Catalog catalog, FalProxyService service) {
        this.keys = keys;
        this.tokens = tokens;
        this.catalog = catalog;
        this.service = service;
    }

    public static boolean serves(String routeKey) {
        return PROXY_ROUTES.contains(routeKey);
    }

    public APIGatewayV2HTTPResponse proxy(ApiRequest request) {
        try {
            Grant caller = caller(request);
            FalTarget target = FalTarget.parse(request.header(FalTarget.HEADER), method(request));
            return service.handle(caller, target, request);
        } catch (ProxyRefusal r) {
            return FalShapes.refusal(r);
        } catch (ApiException e) {
            return FalShapes.error(e);
        }
    }

    /** The method as called: the route key names it ({@code "PUT /api/fal/proxy"}). */
    private static String method(ApiRequest request) {
        return request.routeKey().substring(0, request.routeKey().indexOf(' '));
    }

    /** An API key grants every model until forever; a token what it names until it expires. */
    private Grant caller(ApiRequest request) {
        String header = request.header("authorization").orElse("").trim();
        int space = header.indexOf(' ');
        String scheme = space < 0 ? "" : header.substring(0, space);
        String credential = space < 0 ? "" : header.substring(space + 1).trim();
        if (!(scheme.equalsIgnoreCase("Bearer") || scheme.equalsIgnoreCase("Key")) || credential.isEmpty()) {
            throw ProxyRefusal.unauthorized("credentials are required: Authorization: Bearer <falgate key or browser token>");
        }
        if (BrowserTokens.looksLikeToken(credential)) {
            return tokens.verify(credential).orElseThrow(() -> ProxyRefusal.unauthorized("the token is invalid or has expired"));
        }
        return keys.tenantOf(credential).map(tenant -> new Grant(tenant, Instant.MAX, List.of()))
                .orElseThrow(() -> ProxyRefusal.unauthorized("the credentials are not a valid falgate key or token"));
    }

    /** {@code POST /v1/tokens} for a tenant known by its API key (a token cannot mint tokens). */
    public ObjectNode mint(String tenant, JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        List<String> models = new ArrayList<>();
        JsonNode m = body.get("models");
        if (m != null && !m.isNull() && !m.isArray()) {
            errors.add(new FieldError("models", "invalid_type", "models must be a list of model ids from GET /v1/models"));
        } else if (m != null) {
            for (int i = 0; i < m.size(); i++) {
                if (!m.get(i).isTextual() || catalog.find(m.get(i).asText()).isEmpty()) {
                    errors.add(new FieldError("models[" + i + "]", "unknown_model", "not a model id from GET /v1/models"));
                } else {
                    models.add(m.get(i).asText());
                }
            }
        }
        JsonNode ttl = body.get("ttl_seconds");
        long seconds = BrowserTokens.DEFAULT_TTL_SECONDS;
        if (ttl != null && !ttl.isNull()) {
            if (!ttl.canConvertToExactIntegral() || ttl.asLong() < 1 || ttl.asLong() > BrowserTokens.MAX_TTL_SECONDS) {
                errors.add(new FieldError("ttl_seconds", "out_of_range",
                        "ttl_seconds must be a whole number from 1 to " + BrowserTokens.MAX_TTL_SECONDS));
            } else {
                seconds = ttl.asLong();
            }
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!name.equals("models") && !name.equals("ttl_seconds")) {
                errors.add(new FieldError(name, "unknown_field", "unknown field; a token takes models and ttl_seconds"));
            }
        });
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        String token = tokens.mint(tenant, models, seconds);
        Grant grant = tokens.verify(token).orElseThrow();
        return Json.object().put("token", token).put("expires_at", Json.time(grant.expiresAt()));
    }
}
