package dev.falgate.jobs;

import java.util.Locale;

/** A job only moves forward: queued → running → succeeded / failed / canceled. */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobStatus fromWire(String s) {
        for (JobStatus v : values()) {
            if (v.wire().equals(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown status " + s);
    }

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELED;
    }

    public boolean canMoveTo(JobStatus next) {
        return !terminal() && next.ordinal() > ordinal();
    }
}
