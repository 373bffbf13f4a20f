package dev.falgate.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.catalog.Catalog;
import dev.falgate.catalog.FieldSpec;
import dev.falgate.catalog.ModelSpec;
import dev.falgate.http.ApiException;
import dev.falgate.http.FieldError;
import dev.falgate.uploads.UploadService;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Checks a job request against the model's catalog entry and reports every problem at once,
 * each naming its path ({@code input.image_url}). Produces the effective input: the caller's
 * values plus the documented defaults, so a job shows exactly what fal ran.
 */
public final class InputValidator {
    static final int MAX_METADATA_BYTES = 4096;
    /** What a file input may be, in the words every refusal of one uses. */
    static final String FILE_FORMS = "must be an upload:// ref, a data: URI or an http(s):// URL";
    /** A value that starts like a URL ({@code ftp://}, {@code file:}): a scheme falgate does not fetch. */
    private static final java.util.regex.Pattern OTHER_SCHEME = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:");

    private final Catalog catalog;

    public InputValidator(Catalog catalog) {
        this.catalog = catalog;
    }

    /** A file-valued spot in the input, e.g. {@code input.image_urls[1]}. */
    public record FileSlot(String path, String field, int index, String value) {
    }

    /** The outcome: the effective input and file slots, and every problem found ({@code model} null if unknown). */
    public record Checked(ModelSpec model, ObjectNode input, JsonNode metadata, List<FileSlot> files,
            List<FieldError> errors) {
    }

    /** Checks without throwing, so the caller can add its own findings (the files) to the list. */
    public Checked check(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        unknownTopLevel(body, errors);
        Optional<ModelSpec> model = model(body.get("model"), errors);
        JsonNode input = body.get("input");
        if (input == null || !input.isObject()) {
            errors.add(new FieldError("input", input == null ? "required" : "invalid_type", "input must be an object"));
        }
        JsonNode metadata = metadata(body.get("metadata"), errors);
        List<FileSlot> files = new ArrayList<>();
        ObjectNode effective = null;
        if (model.isPresent() && input != null && input.isObject()) {
            effective = checkInput(model.get(), (ObjectNode) input, errors, files);
        }
        return new Checked(model.orElse(null), effective, metadata, files, errors);
    }

    private static void unknownTopLevel(JsonNode body, List<FieldError> errors) {
        body.fieldNames().forEachRemaining(name -> {
            if (!List.of("model", "input", "metadata", "webhook", "webhook_events_filter").contains(name)) {
                errors.add(new FieldError(name, "unknown_field",
                        "unknown field; known fields: model, input, metadata, webhook, webhook_events_filter"));
            }
        });
    }

    private Optional<ModelSpec> model(JsonNode model, List<FieldError> errors) {
        if (model == null || !model.isTextual()) {
            errors.add(new FieldError("model", model == null ? "required" : "invalid_type", "model must be a model id from GET /v1/models"));
            return Optional.empty();
        }
        Optional<ModelSpec> spec = catalog.find(model.asText());
        if (spec.isEmpty()) {
            errors.add(new FieldError("model", "unknown_model", catalog.unknownModelMessage(model.asText())));
        }
        return spec;
    }

    private static JsonNode metadata(JsonNode metadata, List<FieldError> errors) {
        if (metadata == null || metadata.isNull()) {
            return null;
        }
        if (!metadata.isObject()) {
            errors.add(new FieldError("metadata", "invalid_type", "metadata must be an object"));
        } else if (metadata.toString().length() > MAX_METADATA_BYTES) {
            errors.add(new FieldError("metadata", "too_large", "metadata must be at most " + MAX_METADATA_BYTES + " bytes of JSON"));
        }
        return metadata;
    }

    private static ObjectNode checkInput(ModelSpec model, ObjectNode input, List<FieldError> errors, List<FileSlot> files) {
        ObjectNode effective = input.deepCopy();
        Map<String, FieldSpec> fields = model.inputs().stream().collect(Collectors.toMap(FieldSpec::name, f -> f));
        for (Iterator<String> it = input.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!fields.containsKey(name)) {
                errors.add(new FieldError("input." + name, "unknown_field", "unknown field for " + model.id()
                        + "; known fields: " + String.join(", ", fields.keySet().stream().sorted().toList())));
            }
        }
        for (FieldSpec field : model.inputs()) {
            JsonNode value = input.get(field.name());
            String path = "input." + field.name();
            if (value == null || value.isNull()) {
                if (field.required()) {
                    errors.add(new FieldError(path, "required", field.name() + " is required"));
                } else if (field.defaultValue() != null && !field.defaultValue().isNull()) {
                    effective.set(field.name(), field.defaultValue().deepCopy());
                } else {
                    effective.remove(field.name());
                }
                continue;
            }
            checkValue(field, value, path, errors, files).ifPresent(v -> effective.set(field.name(), v));
        }
        Constraints.checkRules(model, effective, errors);
        checkRefused(model, effective, errors);
        return effective;
    }

    /** A field the catalog marks refused may be left out or off (false, its default), never turned on. */
    private static void checkRefused(ModelSpec model, ObjectNode effective, List<FieldError> errors) {
        for (FieldSpec field : model.inputs()) {
            JsonNode value = effective.get(field.name());
            boolean off = value == null || value.isNull() || BooleanNode.FALSE.equals(value) || value.equals(field.defaultValue());
            if (field.refused() != null && !off) {
                errors.add(new FieldError("input." + field.name(), "unsupported",
                        field.name() + " is not supported: " + field.refused()));
            }
        }
    }

    /** Checks one value; returns its normalised form (e.g. an enum value in the catalog's own type). */
    private static Optional<JsonNode> checkValue(FieldSpec field, JsonNode value, String path,
            List<FieldError> errors, List<FileSlot> files) {
        if (field.isList()) {
            if (!value.isArray()) {
                errors.add(new FieldError(path, "invalid_type", field.name() + " must be a list of " + field.elementType()));
                return Optional.empty();
            }
            if (field.required() && value.isEmpty()) {
                // one problem, one error: a min_items of the same list would only say it again
                errors.add(new FieldError(path, "required", field.name() + " must not be empty"));
            } else {
                Constraints.checkList(field, value, path, errors);
            }
            var out = value.deepCopy();
            for (int i = 0; i < value.size(); i++) {
                int index = i;
                checkElement(field, value.get(i), path + "[" + i + "]", i, errors, files)
                        .ifPresent(v -> ((com.fasterxml.jackson.databind.node.ArrayNode) out).set(index, v));
            }
            return Optional.of(out);
        }
        return checkElement(field, value, path, -1, errors, files);
    }

    private static Optional<JsonNode> checkElement(FieldSpec field, JsonNode value, String path, int index,
            List<FieldError> errors, List<FileSlot> files) {
        if (field.file()) {
            checkFileForm(value, path, errors).ifPresent(v -> files.add(new FileSlot(path, field.name(), index, v)));
            return Optional.empty();
        }
        if (field.enumValues() != null && !field.enumValues().isEmpty()) {
            // fal writes some numeric enums as strings ("2", "1024"): accept either spelling
            for (JsonNode allowed : field.enumValues()) {
                if (allowed.asText().equals(value.asText()) && (value.isTextual() || value.isNumber())) {
                    return Optional.of(allowed);
                }
            }
            errors.add(new FieldError(path, "invalid_enum", field.name() + " must be one of "
                    + field.enumValues().stream().map(JsonNode::asText).collect(Collectors.joining(", "))));
            return Optional.empty();
        }
        if (!hasType(field.elementType(), value)) {
            errors.add(new FieldError(path, "invalid_type", field.name() + " must be " + article(field.elementType())));
        } else {
            Constraints.checkValue(field, value, path, errors);
        }
        return Optional.empty();
    }

    /**
     * A file input in one of the forms falgate takes, or its problem: a URL of another scheme
     * ({@code ftp:}, {@code file:}) is {@code url_not_allowed}, anything else {@code invalid_type};
     * both say what the forms are, in the same words.
     */
    private static Optional<String> checkFileForm(JsonNode value, String path, List<FieldError> errors) {
        String v = value.isTextual() ? value.asText() : "";
        if (v.startsWith(UploadService.REF_PREFIX) || v.startsWith("data:") || isUrl(v)) {
            return Optional.of(v);
        }
        errors.add(new FieldError(path, OTHER_SCHEME.matcher(v).lookingAt() ? "url_not_allowed" : "invalid_type",
                path.substring(path.indexOf('.') + 1) + " " + FILE_FORMS));
        return Optional.empty();
    }

    /** An http(s) URL, which the submit fetches. */
    static boolean isUrl(String value) {
        return value.regionMatches(true, 0, "https://", 0, 8) || value.regionMatches(true, 0, "http://", 0, 7);
    }

    private static boolean hasType(String type, JsonNode value) {
        return switch (type) {
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber() || (value.isNumber() && value.canConvertToExactIntegral());
            case "float", "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> true; // structured types are left to fal's own validation
        };
    }

    private static String article(String type) {
        return switch (type) {
            case "integer" -> "an integer";
            case "float", "number" -> "a number";
            case "boolean" -> "a boolean";
            case "string" -> "a string";
            default -> "of type " + type;
        };
    }
}
