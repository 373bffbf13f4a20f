package dev.falgate.emulator.queue;

/** fal's cancel answers for a known request (unknown ids are 404 NOT_FOUND at the HTTP layer). */
public enum CancelResult {
    CANCELLATION_REQUESTED(202), ALREADY_COMPLETED(400);

    private final int httpStatus;

    CancelResult(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
