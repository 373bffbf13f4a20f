package dev.falgate.emulator.faults;

import java.time.Duration;

/**
 * One fault's setting: when it fires, either with a {@code probability} per occasion (drawn
 * from a seeded generator, so a run repeats) or for the next {@code count} occasions; plus the
 * fault's own parameters, {@code null} for "the default".
 *
 * @param seed the knob's own seed; {@code null} derives one from the plan's seed
 */
public record Knob(Double probability, Long count, Long seed, Duration delay, Integer status,
        String errorType, Integer copies) {

    public Knob {
        if ((probability == null) == (count == null)) {
            throw new IllegalArgumentException("a knob takes exactly one of probability and count");
        }
        if (probability != null && !(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be within [0, 1]: " + probability);
        }
        if (count != null && count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        if (delay != null && delay.isNegative()) {
            throw new IllegalArgumentException("delay_ms must not be negative");
        }
        if (status != null && status != 429 && (status < 500 || status > 599)) {
            throw new IllegalArgumentException("status must be 429 or 5xx: " + status);
        }
        if (copies != null && (copies < 2 || copies > MAX_COPIES)) {
            throw new IllegalArgumentException("copies must be 2 to " + MAX_COPIES + ": " + copies);
        }
    }

    /** fal retries a webhook at most 31 times; more copies than that say nothing new. */
    static final int MAX_COPIES = 32;

    public static Knob probability(double probability) {
        return new Knob(probability, null, null, null, null, null, null);
    }

    /** Fires on the next {@code count} occasions, then never. */
    public static Knob count(long count) {
        return new Knob(null, count, null, null, null, null, null);
    }

    public static Knob always() {
        return probability(1);
    }

    public Knob withSeed(long newSeed) {
        return new Knob(probability, count, newSeed, delay, status, errorType, copies);
    }

    public Knob withDelay(Duration newDelay) {
        return new Knob(probability, count, seed, newDelay, status, errorType, copies);
    }

    public Knob withStatus(int newStatus) {
        return new Knob(probability, count, seed, delay, newStatus, errorType, copies);
    }

    public Knob withCopies(int newCopies) {
        return new Knob(probability, count, seed, delay, status, errorType, newCopies);
    }

    public Knob withErrorType(String newErrorType) {
        return new Knob(probability, count, seed, delay, status, newErrorType, copies);
    }

    /** The same knob with {@code remaining} occasions left (for reporting a count knob). */
    Knob withCount(long remaining) {
        return new Knob(null, remaining, seed, delay, status, errorType, copies);
    }

    boolean isOff() {
        return (probability != null && probability == 0) || (count != null && count == 0);
    }
}
