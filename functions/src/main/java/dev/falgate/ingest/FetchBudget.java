package dev.falgate.ingest;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What all URL inputs of one request share while they are fetched concurrently: one deadline
 * (so a job with many URLs still answers within API Gateway's 30 s) and one byte allowance
 * (what the job may still take once its uploads and {@code data:} URIs are counted). Every
 * fetch draws on both as it streams; once the bytes run out, every fetch of the request stops.
 * Thread-safe.
 */
public final class FetchBudget {
    private final Duration length;
    private final long deadlineNanos;
    private final AtomicLong bytesLeft;

    FetchBudget(Duration length, long maxBytes) {
        this.length = length;
        this.deadlineNanos = System.nanoTime() + length.toNanos();
        this.bytesLeft = new AtomicLong(maxBytes);
    }

    /** The deadline, on the {@link System#nanoTime()} clock. */
    long deadlineNanos() {
        return deadlineNanos;
    }

    /** How long the whole budget is, for messages. */
    Duration length() {
        return length;
    }

    /** Takes bytes that just arrived; throws once the request's files are over the allowance. */
    void take(long bytes) {
        if (bytesLeft.addAndGet(-bytes) < 0) {
            throw new Exceeded();
        }
    }

    /** Throws when another fetch of the request already used up the bytes: no point starting. */
    void checkBytesLeft() {
        if (bytesLeft.get() < 0) {
            throw new Exceeded();
        }
    }

    /** The request's files add up to more than it may hold; not any one URL's fault. */
    public static final class Exceeded extends RuntimeException {
        Exceeded() {
            super("the files add up to more than the request may hold", null, false, false);
        }
    }
}
