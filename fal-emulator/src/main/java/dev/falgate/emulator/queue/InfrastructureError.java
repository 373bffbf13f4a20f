package dev.falgate.emulator.queue;

import java.util.Arrays;
import java.util.Optional;

/**
 * fal's infrastructure error types (fal-protocol.md §1.8) with their usual HTTP status: a result
 * read replays {@code {"detail", "error_type"}} with that status and {@code X-Fal-Error-Type}.
 */
public enum InfrastructureError {
    REQUEST_TIMEOUT("request_timeout", 504, "Request timed out"),
    STARTUP_TIMEOUT("startup_timeout", 504, "Runner startup timed out"),
    RUNNER_SCHEDULING_FAILURE("runner_scheduling_failure", 503, "Failed to schedule a runner"),
    RUNNER_CONNECTION_TIMEOUT("runner_connection_timeout", 503, "Connection to the runner timed out"),
    RUNNER_DISCONNECTED("runner_disconnected", 503, "Runner disconnected"),
    RUNNER_CONNECTION_REFUSED("runner_connection_refused", 503, "Runner refused the connection"),
    INTERNAL_ERROR("internal_error", 500, "Internal error");

    private final String wireName;
    private final int httpStatus;
    private final String detail;

    InfrastructureError(String wireName, int httpStatus, String detail) {
        this.wireName = wireName;
        this.httpStatus = httpStatus;
        this.detail = detail;
    }

    public String wireName() {
        return wireName;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String detail() {
        return detail;
    }

    public static Optional<InfrastructureError> fromWireName(String name) {
        return Arrays.stream(values()).filter(e -> e.wireName.equals(name)).findFirst();
    }
}
