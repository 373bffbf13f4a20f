package dev.falgate.emulator.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.emulator.Json;

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

    public static Outcome cancelled() {
        ObjectNode body = Json.object()
                .put("detail", "Request was cancelled")
                .put("error_type", "client_cancelled");
        return new Outcome(400, body, "Request was cancelled", "client_cancelled");
    }

    public static Outcome internalError(String message) {
        ObjectNode body = Json.object().put("detail", message).put("error_type", "internal_error");
        return new Outcome(500, body, message, "internal_error");
    }

    public boolean succeeded() {
        return error == null;
    }
}
