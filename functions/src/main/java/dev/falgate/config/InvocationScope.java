package dev.falgate.config;

import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Which function's invocation the current thread works for. On Lambda there is one function per
 * process and nothing sets it; the local runner, where every function shares one JVM, sets it
 * around each invocation so the AWS operations a function performs can be attributed to it (the
 * least-privilege check). Work a function hands to its own threads carries it with
 * {@link #carrying(Runnable)}.
 */
public final class InvocationScope {
    private static final ThreadLocal<String> FUNCTION = new ThreadLocal<>();

    private InvocationScope() {
    }

    /** Runs {@code work} as an invocation of {@code function} (a template logical id). */
    public static <T> T run(String function, Callable<T> work) throws Exception {
        String outer = FUNCTION.get();
        FUNCTION.set(function);
        try {
            return work.call();
        } finally {
            restore(outer);
        }
    }

    /** The function whose invocation this thread works for; empty outside any (and always on Lambda). */
    public static Optional<String> function() {
        return Optional.ofNullable(FUNCTION.get());
    }

    /** {@code task} run under the calling thread's function, on whichever thread runs it. */
    public static Runnable carrying(Runnable task) {
        String function = FUNCTION.get();
        if (function == null) {
            return task;
        }
        return () -> {
            String outer = FUNCTION.get();
            FUNCTION.set(function);
            try {
                task.run();
            } finally {
                restore(outer);
            }
        };
    }

    private static void restore(String outer) {
        if (outer == null) {
            FUNCTION.remove();
        } else {
            FUNCTION.set(outer);
        }
    }
}
