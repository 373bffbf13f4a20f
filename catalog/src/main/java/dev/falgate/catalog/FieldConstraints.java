package dev.falgate.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Limits on one input field beyond its type and enum, each stated by the seed page or added by
 * a reviewed override (with its reason). Any component may be null: no such limit.
 *
 * @param minimum smallest allowed number (inclusive)
 * @param maximum largest allowed number (inclusive)
 * @param minItems fewest list elements
 * @param maxItems most list elements
 * @param maxLength longest string, in characters
 * @param maxBytes largest file, in bytes (file fields)
 * @param maxPixels most pixels (width × height) of an image file
 * @param maxSide longest side of an image file, in pixels
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldConstraints(
        Double minimum,
        Double maximum,
        @JsonProperty("min_items") Integer minItems,
        @JsonProperty("max_items") Integer maxItems,
        @JsonProperty("max_length") Integer maxLength,
        @JsonProperty("max_bytes") Long maxBytes,
        @JsonProperty("max_pixels") Long maxPixels,
        @JsonProperty("max_side") Integer maxSide) {
}
