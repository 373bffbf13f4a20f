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
    private final boolean connected;

    public FalException(Kind kind, int status, String body, String message, Throwable cause) {
        this(kind, status, body, message, cause, true);
    }

    private FalException(Kind kind, int status, String body, String message, Throwable cause, boolean connected) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.body = body;
        this.connected = connected;
    }

    /** No connection was ever made (refused, or the connect timed out): fal saw nothing. */
    public static FalException neverConnected(String message, Throwable cause) {
        return new FalException(Kind.UNAVAILABLE, 0, null, message, cause, false);
    }

    /**
     * Whether fal certainly did not take a submit: it was never reached, or it answered 429 or
     * 503 (fal's "try again"). A 500, 502 or 504, a reset connection or a lost answer may come
     * after fal queued the request, and sending it again could pay for it twice.
     */
    public boolean certainlyNotReceived() {
        return !connected || status == 429 || status == 503;
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
