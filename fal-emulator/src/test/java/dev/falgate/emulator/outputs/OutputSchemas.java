package dev.falgate.emulator.outputs;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hand-written output schemas in {@code src/test/resources/schemas/} (one per model, from
 * its seed page), checked with networknt's validator, an implementation independent of the
 * emulator; and the file fields each schema declares.
 */
final class OutputSchemas {
    private static final JsonSchemaFactory FACTORY =
            JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    /**
     * A property whose value is a File/Image object (or a list of them).
     *
     * @param sized whether the schema's object type declares {@code width} and {@code height}
     */
    record FileField(String name, boolean list, boolean sized) {
    }

    private OutputSchemas() {
    }

    static String resourceName(String modelId) {
        return "/schemas/" + modelId.replace("/", "__") + ".json";
    }

    static JsonNode load(String modelId) {
        try (InputStream in = OutputSchemas.class.getResourceAsStream(resourceName(modelId))) {
            if (in == null) {
                throw new AssertionError("no schema " + resourceName(modelId));
            }
            return OutputsFixture.JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The validator's messages for {@code output}; empty when it conforms. */
    static List<String> violations(String modelId, JsonNode output) {
        return messages(FACTORY.getSchema(load(modelId)).validate(output));
    }

    /** The meta-schema's messages for the schema file itself. */
    static List<String> metaSchemaViolations(String modelId) {
        JsonSchema metaSchema = FACTORY.getSchema(SchemaLocation.of(SchemaId.V202012));
        return messages(metaSchema.validate(load(modelId)));
    }

    /** The properties typed as a {@code $defs} object with a {@code url}, in schema order. */
    static List<FileField> fileFields(String modelId) {
        JsonNode schema = load(modelId);
        List<FileField> fields = new ArrayList<>();
        for (Map.Entry<String, JsonNode> property : schema.get("properties").properties()) {
            JsonNode value = property.getValue();
            boolean list = "array".equals(value.path("type").asText());
            JsonNode type = referenced(schema, list ? value.path("items") : value);
            if (type.at("/properties/url").isObject()) {
                fields.add(new FileField(property.getKey(), list,
                        type.at("/properties/width").isObject()
                                && type.at("/properties/height").isObject()));
            }
        }
        return fields;
    }

    private static JsonNode referenced(JsonNode schema, JsonNode property) {
        String ref = property.path("$ref").asText("");
        return ref.startsWith("#/") ? schema.at(ref.substring(1)) : property;
    }

    private static List<String> messages(Set<ValidationMessage> found) {
        return found.stream().map(ValidationMessage::getMessage).sorted().toList();
    }
}
