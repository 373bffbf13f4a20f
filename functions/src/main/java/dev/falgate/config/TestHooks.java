package dev.falgate.config;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Named points where a crash test stops falgate exactly (never set in a deployment):
 * {@code FALGATE_TEST_HOOK=halt-after-job-write} halts the JVM as a killed Lambda would;
 * {@code fail-once-after-job-write} throws there, once, as a failed call would;
 * {@code fail-after-job-write} every time.
 */
public final class TestHooks {
    public static final String VARIABLE = "FALGATE_TEST_HOOK";
    public static final String HALT_AFTER_JOB_WRITE = "halt-after-job-write";
    public static final String FAIL_ONCE_AFTER_JOB_WRITE = "fail-once-after-job-write";
    /** Throws there on every submit: no retry gets past it, only the sweeper recovers the job. */
    public static final String FAIL_AFTER_JOB_WRITE = "fail-after-job-write";
    /** The exit status of a halt, so a test can tell it from any other death. */
    public static final int HALT_STATUS = 86;

    private final String hook;
    /** Once per JVM: a retry (handled by any handler instance) must get past it. */
    private static final AtomicBoolean FAILED = new AtomicBoolean();

    public TestHooks(String hook) {
        this.hook = hook == null ? "" : hook;
    }

    public static TestHooks from(Settings settings) {
        return new TestHooks(settings.optional(VARIABLE).orElse(""));
    }

    public static TestHooks none() {
        return new TestHooks("");
    }

    /** Between writing a new job and scheduling its first poll. */
    public void afterJobWrite() {
        if (HALT_AFTER_JOB_WRITE.equals(hook)) {
            System.err.println("falgate: test hook " + hook + ": halting");
            Runtime.getRuntime().halt(HALT_STATUS);
        }
        if (FAIL_AFTER_JOB_WRITE.equals(hook)
                || (FAIL_ONCE_AFTER_JOB_WRITE.equals(hook) && FAILED.compareAndSet(false, true))) {
            throw new IllegalStateException("test hook " + hook);
        }
    }
}
