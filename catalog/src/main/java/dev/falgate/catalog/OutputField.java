package dev.falgate.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One output field of a model.
 *
 * @param kind {@code image} or {@code file} for file outputs (objects with a {@code url}),
 *     otherwise the plain type ({@code integer}, {@code string}, ...)
 * @param list whether the field is a list of such values
 * @param file whether the field holds file(s) that falgate copies into S3
 */
public record OutputField(String name, String kind, boolean list, boolean file,
        @JsonProperty("description") String description) {
}
