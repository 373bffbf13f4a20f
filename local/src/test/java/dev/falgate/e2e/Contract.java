package dev.falgate.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The OpenAPI contract the stack serves, as a checker of responses: finds the operation of a
 * request (method + path, templated segments matched), and fails on a status the operation does
 * not document or a JSON body its schema refuses. A request no route takes must get the
 * documented 404 error. Schemas are checked with networknt's validator (JSON Schema 2020-12,
 * which OpenAPI 3.1 uses), an implementation independent of falgate's own code.
 */
final class Contract {
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private final JsonNode document;
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    Contract(JsonNode document) {
        this.document = document;
    }

    JsonNode document() {
        return document;
    }

    /** Throws an {@link AssertionError} naming the operation when the response breaks the contract. */
    void check(String method, String path, Api.Response response) {
        Optional<String> template = pathTemplate(path);
        JsonNode operation = template.map(t -> document.path("paths").path(t).path(method.toLowerCase())).orElse(null);
        String where = method + " " + path + " (" + template.orElse("no route") + ")";
        if (operation == null || operation.isMissingNode()) {
            if (response.status() != 404) {
                throw new AssertionError(where + ": no operation in the contract, yet answered " + response.status());
            }
            validate(where, "#/components/schemas/Error", response);
            return;
        }
        JsonNode documented = resolve(operation.path("responses").path(String.valueOf(response.status())));
        if (documented.isMissingNode()) {
            throw new AssertionError(where + ": status " + response.status() + " is not in the contract; body: "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        JsonNode json = documented.path("content").path("application/json");
        if (!json.isMissingNode()) {
            String pointer = "#/paths/" + escape(template.get()) + "/" + method.toLowerCase() + "/responses/"
                    + response.status() + "/content/application~1json/schema";
            JsonNode ref = operation.path("responses").path(String.valueOf(response.status())).path("$ref");
            validate(where, ref.isTextual() ? ref.asText() + "/content/application~1json/schema" : pointer, response);
        }
    }

    private void validate(String where, String pointer, Api.Response response) {
        JsonSchema schema = schemas.computeIfAbsent(pointer, this::schemaAt);
        Set<ValidationMessage> problems = schema.validate(response.json());
        if (!problems.isEmpty()) {
            throw new AssertionError(where + " answered " + response.status() + " with a body the contract refuses: "
                    + problems.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; "))
                    + "\nbody: " + new String(response.body(), StandardCharsets.UTF_8));
        }
    }

    /** A schema that is the document itself with a {@code $ref} to {@code pointer}, so the contract's own refs resolve. */
    private JsonSchema schemaAt(String pointer) {
        ObjectNode root = ((ObjectNode) document).deepCopy();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("$ref", pointer);
        return FACTORY.getSchema(root);
    }

    private JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? document.at(node.get("$ref").asText().substring(1)) : node;
    }

    /** The contract's path for a concrete path: a literal match first, else a template with one segment per parameter. */
    Optional<String> pathTemplate(String path) {
        if (document.path("paths").has(path)) {
            return Optional.of(path);
        }
        for (Iterator<String> it = document.path("paths").fieldNames(); it.hasNext(); ) {
            String template = it.next();
            if (path.matches(template.replaceAll("\\{[^/}]+}", "[^/]+"))) {
                return Optional.of(template);
            }
        }
        return Optional.empty();
    }

    private static String escape(String path) {
        return path.replace("~", "~0").replace("/", "~1");
    }
}
