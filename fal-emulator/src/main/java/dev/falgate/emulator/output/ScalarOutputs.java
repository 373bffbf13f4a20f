package dev.falgate.emulator.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.falgate.catalog.OutputField;
import dev.falgate.emulator.Json;
import java.util.UUID;

/**
 * Values of the non-file output fields: the seed used, ids, timings, NSFW flags, and fields
 * that echo an input of the same name (prompt, resolution, texture_size...). Fields with
 * nothing sensible to say are left out, as optional fields are at fal.
 */
final class ScalarOutputs {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ScalarOutputs() {
    }

    /** The value, or {@code null} to leave the field out. */
    static JsonNode value(OutputField field, GenerationContext context, int imageCount) {
        switch (field.name()) {
            case "seed":
                return NODES.numberNode(context.seed());
            case "task_id":
                return NODES.textNode(UUID.randomUUID().toString());
            case "timings":
                return Json.object().put("inference", context.elapsedSeconds());
            default:
                break;
        }
        if (field.list() && "boolean".equals(field.kind())) {
            return falses(imageCount); // has_nsfw_concepts: one flag per image
        }
        JsonNode echoed = context.param(field.name());
        return echoed.isMissingNode() ? null : coerce(echoed, field.kind());
    }

    private static ArrayNode falses(int count) {
        ArrayNode flags = Json.array();
        for (int i = 0; i < count; i++) {
            flags.add(false);
        }
        return flags;
    }

    /** Input enums are often numbers written as strings ("2048"); outputs are typed. */
    private static JsonNode coerce(JsonNode value, String kind) {
        if (!value.isTextual()) {
            return value;
        }
        try {
            return switch (kind == null ? "" : kind) {
                case "integer" -> NODES.numberNode(Long.parseLong(value.asText()));
                case "float" -> NODES.numberNode(Double.parseDouble(value.asText()));
                default -> value;
            };
        } catch (NumberFormatException e) {
            return value;
        }
    }
}
