package dev.falgate.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.catalog.Catalog;
import dev.falgate.catalog.FieldConstraints;
import dev.falgate.catalog.FieldSpec;
import dev.falgate.catalog.ModelSpec;
import dev.falgate.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;

/**
 * falgate's OpenAPI 3.1 contract, served at {@code GET /v1/openapi.json}. Routes, responses and
 * the job, upload, model and error schemas are written by hand ({@code openapi/falgate.json}: a
 * shape is clearer read than generated); the request schema of {@code POST /v1/jobs} is generated
 * per model from the catalog, so it cannot drift from what {@code InputValidator} checks.
 */
public final class OpenApiContract {
    static final String BASE = "openapi/falgate.json";
    /** The component every model's request schema is a branch of. */
    public static final String SUBMIT_JOB = "SubmitJob";

    private OpenApiContract() {
    }

    public static ObjectNode document(Catalog catalog) {
        ObjectNode doc = base();
        ObjectNode schemas = (ObjectNode) doc.path("components").path("schemas");
        ArrayNode branches = Json.array();
        ObjectNode mapping = Json.object();
        ObjectNode examples = Json.object();
        for (ModelSpec model : catalog.models()) {
            String name = schemaName(model.id());
            String ref = "#/components/schemas/" + name;
            schemas.set(name, submitSchema(model));
            branches.addObject().put("$ref", ref);
            mapping.put(model.id(), ref);
            examples.putObject(name).put("summary", model.title()).set("value", exampleRequest(model));
        }
        ObjectNode submit = schemas.putObject(SUBMIT_JOB);
        submit.put("description", "One branch per model, chosen by `model`.");
        submit.set("oneOf", branches);
        submit.putObject("discriminator").put("propertyName", "model").set("mapping", mapping);
        ((ObjectNode) doc.at("/paths/~1v1~1jobs/post/requestBody/content/application~1json")).set("examples", examples);
        return doc;
    }

    /** {@code SubmitJob.fal-ai.trellis}: component names allow letters, digits, {@code .-_}. */
    public static String schemaName(String modelId) {
        return SUBMIT_JOB + "." + modelId.replaceAll("[^A-Za-z0-9._-]", ".");
    }

    private static ObjectNode base() {
        try (InputStream in = OpenApiContract.class.getClassLoader().getResourceAsStream(BASE)) {
            if (in == null) {
                throw new IllegalStateException(BASE + " is missing from the classpath");
            }
            return (ObjectNode) Json.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode exampleRequest(ModelSpec model) {
        ObjectNode request = Json.object().put("model", model.id());
        request.set("input", model.example());
        return request;
    }

    private static ObjectNode submitSchema(ModelSpec model) {
        ObjectNode s = Json.object();
        s.put("title", model.title());
        s.put("description", model.description());
        s.put("type", "object");
        s.put("additionalProperties", false);
        s.putArray("required").add("model").add("input");
        ObjectNode properties = s.putObject("properties");
        properties.putObject("model").put("const", model.id());
        properties.set("input", inputSchema(model));
        properties.putObject("metadata").put("description", "Yours, returned as given; at most 4 KB of JSON.")
                .putArray("type").add("object").add("null");
        properties.putObject("webhook").put("$ref", "#/components/schemas/WebhookTarget");
        properties.putObject("webhook_events_filter").put("$ref", "#/components/schemas/WebhookEventsFilter");
        s.putArray("examples").add(exampleRequest(model));
        return s;
    }

    private static ObjectNode inputSchema(ModelSpec model) {
        ObjectNode input = Json.object();
        input.put("type", "object");
        input.put("additionalProperties", false);
        ArrayNode required = input.putArray("required");
        ObjectNode properties = input.putObject("properties");
        for (FieldSpec field : model.inputs()) {
            properties.set(field.name(), fieldSchema(field));
            if (field.required()) {
                required.add(field.name());
            }
        }
        return input;
    }

    /** One input field: its type, enum and limits as the validator applies them. */
    static ObjectNode fieldSchema(FieldSpec field) {
        ObjectNode s = field.refused() != null ? refusedSchema(field) : offeredSchema(field);
        if (field.description() != null) {
            s.put("description", field.description()
                    + (field.file() ? " An `upload://` ref, an https URL or a data URI." : ""));
        }
        if (field.defaultValue() != null) {
            s.set("default", field.defaultValue());
        }
        return s;
    }

    /** A field falgate does not offer may be left out or off (false, null, its default), never on. */
    private static ObjectNode refusedSchema(FieldSpec field) {
        ObjectNode s = Json.object();
        ArrayNode allowed = s.putArray("enum").add(false).addNull();
        if (field.defaultValue() != null && !field.defaultValue().asText().equals("false")) {
            allowed.add(field.defaultValue());
        }
        return s;
    }

    private static ObjectNode offeredSchema(FieldSpec field) {
        FieldConstraints c = field.constraints();
        ObjectNode element = elementSchema(field, c);
        ObjectNode s = element;
        if (field.isList()) {
            s = Json.object().put("type", "array");
            s.set("items", element);
            if (c != null && c.minItems() != null) {
                s.put("minItems", c.minItems());
            }
            if (c != null && c.maxItems() != null) {
                s.put("maxItems", c.maxItems());
            }
        }
        if (!field.required()) {
            allowNull(s);
        }
        return s;
    }

    private static ObjectNode elementSchema(FieldSpec field, FieldConstraints c) {
        ObjectNode s = Json.object();
        if (field.enumValues() != null && !field.enumValues().isEmpty()) {
            ArrayNode values = s.putArray("enum");
            java.util.Set<JsonNode> seen = new java.util.LinkedHashSet<>();
            field.enumValues().forEach(v -> { seen.add(v); otherSpelling(v).forEach(seen::add); });
            values.addAll(seen);
            return s;
        }
        String type = switch (field.elementType()) {
            case "float" -> "number";
            case "integer", "string", "boolean", "object" -> field.elementType();
            default -> throw new IllegalArgumentException(field.name() + ": no JSON Schema type for " + field.type());
        };
        s.put("type", type);
        if (c != null && c.minimum() != null) {
            s.put("minimum", BigDecimal.valueOf(c.minimum()).stripTrailingZeros());
        }
        if (c != null && c.maximum() != null) {
            s.put("maximum", BigDecimal.valueOf(c.maximum()).stripTrailingZeros());
        }
        if (c != null && c.maxLength() != null) {
            s.put("maxLength", c.maxLength());
        }
        return s;
    }

    /** The validator takes a numeric enum value spelled as a string or a number ({@code "1024"} or 1024). */
    private static ArrayNode otherSpelling(JsonNode value) {
        ArrayNode other = Json.array();
        if (value.isNumber()) {
            other.add(value.asText());
        } else if (value.isTextual()) {
            try {
                JsonNode number = Json.readTree(value.asText());
                if (number != null && number.isNumber()) {
                    other.add(number);
                }
            } catch (IOException notJson) {
                // a plain word: one spelling only
            }
        }
        return other;
    }

    private static void allowNull(ObjectNode s) {
        if (s.has("enum")) {
            ((ArrayNode) s.get("enum")).addNull();
        } else {
            String type = s.get("type").asText();
            s.putArray("type").add(type).add("null");
        }
    }
}
