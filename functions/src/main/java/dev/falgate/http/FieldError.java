package dev.falgate.http;

/** One problem with a request, naming the field it is about (e.g. {@code input.prompt}). */
public record FieldError(String field, String code, String message) {
}
