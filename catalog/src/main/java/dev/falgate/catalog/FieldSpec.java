package dev.falgate.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One input field of a model, as the seed page documents it (after the reviewed overrides).
 *
 * @param type {@code string}, {@code integer}, {@code float}, {@code boolean}, or
 *     {@code list<string>}, {@code list<integer>}, {@code list<float>}, {@code list<boolean>};
 *     {@code list<object>} for a list of JSON objects (recraft's {@code colors}: {@code {r,g,b}})
 * @param defaultValue the documented default, or {@code null}; typed as the seed writes it
 *     (e.g. {@code "2"} for a string enum, {@code 3.5} for a float)
 * @param enumValues the allowed values, or {@code null}; typed as the seed writes them
 * @param file whether the field carries file URL(s) (upload refs in our API)
 * @param fileKind {@code image} or {@code safetensors} for file fields, else {@code null}
 * @param constraints ranges, list sizes and file limits, or {@code null}
 * @param refused why falgate refuses to turn the field on (e.g. {@code sync_mode}), or {@code null}
 *     for a field it offers (then not written at all): a form built from {@code GET /v1/models}
 *     leaves a refused field out
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record FieldSpec(
        String name,
        String type,
        boolean required,
        @JsonProperty("default") JsonNode defaultValue,
        @JsonProperty("enum") List<JsonNode> enumValues,
        String description,
        boolean file,
        @JsonProperty("file_kind") String fileKind,
        FieldConstraints constraints,
        @JsonInclude(JsonInclude.Include.NON_NULL) String refused) {

    /** A field with no limits beyond type and enum. */
    public FieldSpec(String name, String type, boolean required, JsonNode defaultValue, List<JsonNode> enumValues,
            String description, boolean file, String fileKind) {
        this(name, type, required, defaultValue, enumValues, description, file, fileKind, null);
    }

    /** A field falgate offers (not {@link #refused}). */
    public FieldSpec(String name, String type, boolean required, JsonNode defaultValue, List<JsonNode> enumValues,
            String description, boolean file, String fileKind, FieldConstraints constraints) {
        this(name, type, required, defaultValue, enumValues, description, file, fileKind, constraints, null);
    }

    /** Fails on a constraint that cannot apply to the field's type (a range on a string, a size limit on a number). */
    public FieldSpec {
        // Jackson reads "default": null as a NullNode: keep "no default" a plain null for callers
        if (defaultValue != null && defaultValue.isNull()) {
            defaultValue = null;
        }
        if (constraints != null && constraints.isEmpty()) {
            constraints = null;
        }
        if (constraints != null) {
            requireApplicable(name, type, file, fileKind, constraints);
        }
    }

    private static void requireApplicable(String name, String type, boolean file, String fileKind, FieldConstraints c) {
        boolean list = type != null && type.startsWith("list<");
        boolean number = "integer".equals(type) || "float".equals(type);
        String problem = (c.minimum() != null || c.maximum() != null) && !number ? "minimum/maximum need an integer or float field"
                : (c.minItems() != null || c.maxItems() != null) && !list ? "min_items/max_items need a list field"
                : c.maxLength() != null && !"string".equals(type) ? "max_length needs a string field"
                : c.maxBytes() != null && !file ? "max_bytes needs a file field"
                : (c.maxPixels() != null || c.maxSide() != null) && !"image".equals(fileKind)
                        ? "max_pixels/max_side need an image file field" : null;
        if (problem != null) {
            throw new IllegalArgumentException(name + " (" + type + "): " + problem);
        }
    }

    @JsonIgnore // a bean-style "is" getter: without this Jackson writes a "list" property
    public boolean isList() {
        return type.startsWith("list<");
    }

    /** The element type of a list field, or the type itself. */
    public String elementType() {
        return isList() ? type.substring(5, type.length() - 1) : type;
    }
}
