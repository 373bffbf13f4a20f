package dev.falgate.emulator.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.emulator.Json;
import java.nio.charset.StandardCharsets;

/**
 * How a request ended: what a result read replays (status code + body) and what the status
 * endpoint and the webhook say about it.
 *
 * @param error {@code null} on success; the status's {@code error} string otherwise
 * @param errorType {@code null} on success; the status's {@code error_type} otherwise
 */
public record Outcome(int httpStatus, JsonNode body, String error, String errorType) {

    public static Outcome success(ObjectNode output) {
        return new Outcome(200, output, null, null);
    }

    /** A FastAPI/Pydantic 422, as fal returns for input the model rejects. */
    public static Outcome validationFailed(ArrayNode detail) {
        ObjectNode body = Json.object();
        body.set("detail", detail);
        String type = detail.path(0).path("type").asText("validation_error");
        return new Outcome(422, body, "Invalid status code: 422", type);
    }

    /** The model app itself refusing the request, as a 422 that names no particular field. */
    public static Outcome modelError() {
        ArrayNode detail = Json.array();
        detail.addObject().put("msg", "The model could not process this input")
                .put("type", "value_error").putArray("loc").add("body");
        return validationFailed(detail);
    }

    public static Outcome cancelled() {
        ObjectNode body = Json.object()
                .put("detail", "Request was cancelled")
                .put("error_type", "client_cancelled");
        return new Outcome(400, body, "Request was cancelled", "client_cancelled");
    }

    public static Outcome internalError(String message) {
        return infrastructureError(InfrastructureError.INTERNAL_ERROR, message);
    }

    public static Outcome infrastructureError(InfrastructureError type) {
        return infrastructureError(type, type.detail());
    }

    private static Outcome infrastructureError(InfrastructureError type, String message) {
        ObjectNode body = Json.object().put("detail", message).put("error_type", type.wireName());
        return new Outcome(type.httpStatus(), body, message, type.wireName());
    }

    public boolean succeeded() {
        return error == null;
    }

    /**
     * The emulator's bill for a success: one unit per output file in the result (an object with
     * a {@code url}), at least one.
     */
    public int billableUnits() {
        return Math.max(1, body.findValues("url").size());
    }

    /** The size fal's result retention looks at: the serialized result body. */
    public int resultBytes() {
        return body.toString().getBytes(StandardCharsets.UTF_8).length;
    }
}
