package dev.falgate.emulator.queue;

import dev.falgate.catalog.Category;
import java.time.Duration;

/**
 * How long a request waits in the queue and runs: the category's typical fal time, split
 * queue/run, divided by the speed factor in force when the phase starts.
 */
public final class Timing {
    /** fal's queue is usually short next to inference; the share is arbitrary but plausible. */
    private static final double QUEUE_SHARE = 0.15;

    private Timing() {
    }

    public static Duration queueWait(Category category, double speed) {
        return scaled(category.typicalSeconds() * QUEUE_SHARE, speed);
    }

    public static Duration runTime(Category category, double speed) {
        return scaled(category.typicalSeconds() * (1 - QUEUE_SHARE), speed);
    }

    private static Duration scaled(double seconds, double speed) {
        return Duration.ofNanos((long) (seconds / speed * 1_000_000_000L));
    }
}
