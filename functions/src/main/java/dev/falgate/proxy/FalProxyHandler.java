package dev.falgate.proxy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.falgate.Services;
import dev.falgate.auth.Authenticator;
import dev.falgate.http.ApiRequest;
import dev.falgate.http.ApiResponses;
import dev.falgate.http.HttpFunction;
import java.util.List;
import java.util.Map;

/**
 * FalProxyFunction: {@code @fal-ai/client}'s proxy route and the browser tokens it takes. A
 * function of its own because a status stream or {@code fal.run} holds its request for up to
 * 25 s: its concurrency and throttling are then set apart from {@code POST /v1/jobs}.
 */
public final class FalProxyHandler extends HttpFunction {
    public static final List<String> ROUTES = List.of(
            "GET /api/fal/proxy", "POST /api/fal/proxy", "PUT /api/fal/proxy", FalProxyApi.TOKENS_ROUTE);

    private final Authenticator keys;
    private final FalProxyApi api;

    public FalProxyHandler() {
        this(System.getenv());
    }

    public FalProxyHandler(Map<String, String> env) {
        this(new Services(env));
    }

    private FalProxyHandler(Services s) {
        this(s.authenticator(), s.falProxyApi());
        dev.falgate.Priming.proxy(s, this);
    }

    public FalProxyHandler(Authenticator keys, FalProxyApi api) {
        this.keys = keys;
        this.api = api;
    }

    @Override
    protected APIGatewayV2HTTPResponse route(ApiRequest request) {
        if (FalProxyApi.serves(request.routeKey())) {
            return api.proxy(request);
        }
        if (FalProxyApi.TOKENS_ROUTE.equals(request.routeKey())) {
            // API keys only: a browser token is no key, so a token cannot mint tokens
            String tenant = keys.tenant(request);
            return ApiResponses.json(201, api.mint(tenant, request.jsonBody()));
        }
        throw noRoute(request);
    }
}
