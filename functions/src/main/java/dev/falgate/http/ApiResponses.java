package dev.falgate.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** Builds HTTP API responses: JSON bodies, and the error envelope. */
public final class ApiResponses {
    private static final Map<String, String> JSON_HEADERS = Map.of(
            "content-type", "application/json",
            "cache-control", "no-store");

    private ApiResponses() {
    }

    public static APIGatewayV2HTTPResponse json(int status, Object body) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(JSON_HEADERS)
                .withBody(Json.write(body))
                .withIsBase64Encoded(false)
                .build();
    }

    public static APIGatewayV2HTTPResponse error(ApiException e) {
        ObjectNode error = Json.object();
        error.put("code", e.code());
        error.put("message", e.getMessage());
        ArrayNode details = error.putArray("details");
        for (FieldError d : e.details()) {
            details.addObject().put("field", d.field()).put("code", d.code()).put("message", d.message());
        }
        ObjectNode body = Json.object();
        body.set("error", error);
        APIGatewayV2HTTPResponse response = json(e.status(), body);
        if (!e.headers().isEmpty()) {
            Map<String, String> headers = new java.util.HashMap<>(response.getHeaders());
            headers.putAll(e.headers());
            response.setHeaders(headers);
        }
        return response;
    }

    public static APIGatewayV2HTTPResponse internalError() {
        return error(new ApiException(500, "internal_error", "internal error; the request may be retried"));
    }
}
