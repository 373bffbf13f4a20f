package dev.falgate.jobs;

import java.time.Instant;

/** One status change: what it became, when, and which path made it (submit, webhook, poller, cancel). */
public record JobEvent(JobStatus status, Instant at, String source) {
}
