package dev.falgate.callback;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.falgate.Services;
import dev.falgate.http.ApiRequest;
import dev.falgate.http.ApiResponses;
import dev.falgate.http.HttpFunction;
import dev.falgate.http.Json;
import java.util.Map;

/** {@code POST /v1/webhooks/fal/{id}}: public, authenticated by fal's signature alone. */
public final class CallbackHandler extends HttpFunction {
    public static final java.util.List<String> ROUTES = java.util.List.of("POST /v1/webhooks/fal/{id}");

    private final CallbackService callbacks;

    public CallbackHandler() {
        this(System.getenv());
    }

    public CallbackHandler(Map<String, String> env) {
        this(new Services(env));
    }

    private CallbackHandler(Services s) {
        this(s.callbackService());
        dev.falgate.Priming.callback(s, this);
    }

    public CallbackHandler(CallbackService callbacks) {
        this.callbacks = callbacks;
    }

    @Override
    protected APIGatewayV2HTTPResponse route(ApiRequest request) {
        if (!ROUTES.get(0).equals(request.routeKey())) {
            throw noRoute(request);
        }
        callbacks.handle(request.pathParameter("id"), request);
        return ApiResponses.json(200, Json.object().put("received", true));
    }
}
