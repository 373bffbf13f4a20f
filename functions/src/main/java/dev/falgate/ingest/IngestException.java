package dev.falgate.ingest;

import dev.falgate.http.FieldError;
import java.util.Locale;

/**
 * Why a URL input was not fetched. The message is written for the API caller: it names the
 * reason, never an internal address or what a refused name resolved to.
 *
 * <p>Every code is the caller's URL failing, so all but {@link Code#FILE_TOO_LARGE} (413) are
 * 400: nothing is wrong with the gateway, and a 5xx would invite blind retries of a dead URL.
 */
public final class IngestException extends RuntimeException {

    public enum Code {
        /** Not http(s), user info, a bad or non-canonical host, or an address that is not public. */
        URL_NOT_ALLOWED(400),
        /** No DNS answer, no connection, a connect or silence timeout, a TLS failure or a broken-off transfer. */
        URL_UNREACHABLE(400),
        /**
         * Not fetched within the time all URL inputs of a job share. 400, not 408: 408 says the
         * client was slow to send its request, and clients retry it on their own.
         */
        FETCH_TIMEOUT(400),
        /** More than the cap, by Content-Length or while streaming. */
        FILE_TOO_LARGE(413),
        TOO_MANY_REDIRECTS(400),
        /** The server answered, but not with a usable 200: other status, bad redirect, encoding. */
        URL_FETCH_FAILED(400);

        private final int status;

        Code(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }

        /** The code as the API writes it, e.g. {@code file_too_large}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Code code;

    public IngestException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public IngestException(Code code, String message) {
        this(code, message, null);
    }

    public Code code() {
        return code;
    }

    public int status() {
        return code.status();
    }

    /** The problem as one entry of an API error's details, for the input field that held the URL. */
    public FieldError fieldError(String field) {
        return new FieldError(field, code.id(), getMessage());
    }

    /** The same refusal, saying it was a redirect's target (the caller's own URL looked fine). */
    IngestException afterRedirect() {
        return new IngestException(code, "the URL redirects to one that is not allowed: " + getMessage(), this);
    }

    static IngestException notAllowed(String message) {
        return new IngestException(Code.URL_NOT_ALLOWED, message);
    }
}
