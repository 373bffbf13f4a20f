package dev.falgate.jobs;

/** Why a job failed: a stable {@code code} (documented in the README) and a message. */
public record JobError(String code, String message) {
}
