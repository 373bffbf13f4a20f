package dev.falgate.http;

import java.util.List;

/** A request the API refuses: rendered as {@code {"error": {code, message, details}}}. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final List<FieldError> details;
    private final java.util.Map<String, String> headers;

    public ApiException(int status, String code, String message, List<FieldError> details) {
        this(status, code, message, details, java.util.Map.of());
    }

    public ApiException(int status, String code, String message, List<FieldError> details,
            java.util.Map<String, String> headers) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = List.copyOf(details);
        this.headers = java.util.Map.copyOf(headers);
    }

    public ApiException(int status, String code, String message) {
        this(status, code, message, List.of());
    }

    public static ApiException validation(List<FieldError> details) {
        return new ApiException(400, "validation_failed",
                details.size() == 1 ? details.get(0).message()
                        : details.size() + " problems with the request; see details", details);
    }

    public static ApiException validation(String field, String code, String message) {
        return validation(List.of(new FieldError(field, code, message)));
    }

    /** The same answer for a job that does not exist and one of another tenant. */
    public static ApiException notFound(String what) {
        return new ApiException(404, "not_found", what + " not found");
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<FieldError> details() {
        return details;
    }

    /** Extra response headers, e.g. {@code Retry-After}. */
    public java.util.Map<String, String> headers() {
        return headers;
    }
}
