package dev.falgate.local.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes; never a fixed sleep. */
public final class Eventually {
    private Eventually() {
    }

    public static <T> T await(Duration timeout, String what, Supplier<T> attempt) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            T value = attempt.get();
            if (value != null && !Boolean.FALSE.equals(value)) {
                return value;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(20); // back-off between polls, not a synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
