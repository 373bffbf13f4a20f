package dev.falgate.emulator.queue;

import dev.falgate.catalog.Category;
import java.time.Duration;

/**
 * fal's timings, divided by the speed factor in force when they start: how long a request waits
 * in the queue (runner acquisition) and runs, from the category's typical fal time, and how long
 * fal keeps a result.
 */
public final class Timing {
    /** fal's queue is usually short next to inference; the share is arbitrary but plausible. */
    private static final double QUEUE_SHARE = 0.15;
    /** fal keeps results 1 h, results of 10 KB or more only 6 min (fal-protocol.md §1.6). */
    static final Duration RESULT_RETENTION = Duration.ofHours(1);
    static final Duration LARGE_RESULT_RETENTION = Duration.ofMinutes(6);
    static final int LARGE_RESULT_BYTES = 10 * 1024;

    private Timing() {
    }

    public static Duration queueWait(Category category, double speed) {
        return scaled(category.typicalSeconds() * QUEUE_SHARE, speed);
    }

    public static Duration runTime(Category category, double speed) {
        return scaled(category.typicalSeconds() * (1 - QUEUE_SHARE), speed);
    }

    public static Duration resultRetention(int resultBytes, double speed) {
        Duration atFal = resultBytes >= LARGE_RESULT_BYTES ? LARGE_RESULT_RETENTION
                : RESULT_RETENTION;
        return scaled(atFal.toNanos() / 1e9, speed);
    }

    /** A duration at fal, as the emulator runs it at {@code speed}. */
    public static Duration scaled(Duration atFal, double speed) {
        return scaled(atFal.toNanos() / 1e9, speed);
    }

    private static Duration scaled(double seconds, double speed) {
        return Duration.ofNanos((long) (seconds / speed * 1_000_000_000L));
    }
}
