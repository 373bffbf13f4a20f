package dev.falgate.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.stream.Stream;

/**
 * Limits on one input field beyond its type and enum, each stated by the seed page or added by
 * a reviewed override (with its reason). Any component may be null: no such limit. Every limit is
 * inclusive: a page's "less than 4096 pixels" is {@code max_side: 4095}.
 *
 * @param minimum smallest allowed number (inclusive; number fields)
 * @param maximum largest allowed number (inclusive; number fields)
 * @param minItems fewest list elements (list fields)
 * @param maxItems most list elements (list fields)
 * @param maxLength longest string, in characters (string fields)
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

    /** Fails on limits that contradict themselves (a minimum above its maximum, a negative count). */
    public FieldConstraints {
        if ((minimum != null && !Double.isFinite(minimum)) || (maximum != null && !Double.isFinite(maximum))) {
            throw new IllegalArgumentException("minimum and maximum must be finite numbers");
        }
        if (minimum != null && maximum != null && minimum > maximum) {
            throw new IllegalArgumentException("minimum " + minimum + " is above maximum " + maximum);
        }
        if ((minItems != null && minItems < 0) || (maxItems != null && maxItems < 1)) {
            throw new IllegalArgumentException("min_items must be >= 0 and max_items >= 1");
        }
        if (minItems != null && maxItems != null && minItems > maxItems) {
            throw new IllegalArgumentException("min_items " + minItems + " is above max_items " + maxItems);
        }
        if (Stream.of(maxLength, maxBytes, maxPixels, maxSide).anyMatch(n -> n != null && n.longValue() < 1)) {
            throw new IllegalArgumentException("max_length, max_bytes, max_pixels and max_side must be positive");
        }
    }

    /** Whether no limit is set at all. */
    @JsonIgnore
    public boolean isEmpty() {
        return Stream.of(minimum, maximum, minItems, maxItems, maxLength, maxBytes, maxPixels, maxSide)
                .allMatch(v -> v == null);
    }
}
