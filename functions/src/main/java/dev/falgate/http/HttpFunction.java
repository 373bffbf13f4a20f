package dev.falgate.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.falgate.telemetry.LogContext;

/**
 * Base of the HTTP handlers: dispatch on the route key, turn {@link ApiException} into the
 * error envelope and anything else into a 500 without a stack trace for the caller.
 */
public abstract class HttpFunction
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    @Override
    public final APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        ApiRequest request = new ApiRequest(event, context);
        try (LogContext.Scope invocation = LogContext.begin(LogContext.requestId(context))) {
            return route(request);
        } catch (ApiException e) {
            return ApiResponses.error(e);
        } catch (RuntimeException e) {
            Log.error(context, "unhandled error on " + request.routeKey(), e);
            return ApiResponses.internalError();
        }
    }

    protected abstract APIGatewayV2HTTPResponse route(ApiRequest request);

    protected static ApiException noRoute(ApiRequest request) {
        return new ApiException(404, "not_found", "no route " + request.methodAndPath());
    }
}
