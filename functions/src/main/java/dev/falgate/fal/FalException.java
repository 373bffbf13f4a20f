package dev.falgate.fal;

/** fal answered, but not with success. */
public class FalException extends RuntimeException {
    public enum Kind {
        /** 422: fal refused the input; resubmitting will not help. */
        REJECTED,
        /** 5xx or 429: worth another try later. */
        UNAVAILABLE,
        /** No answer in time: fal may or may not have the request. */
        TIMEOUT,
        /** Any other answer (401, 404, ...). */
        OTHER
    }

    private final Kind kind;
    private final int status;
    private final String body;

    public FalException(Kind kind, int status, String body, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.body = body;
    }

    public Kind kind() {
        return kind;
    }

    public int status() {
        return status;
    }

    public String body() {
        return body;
    }
}
