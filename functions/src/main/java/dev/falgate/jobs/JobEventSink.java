package dev.falgate.jobs;

/**
 * Hears a job's partner-webhook events once the write that made them is stored: the outbox
 * ({@link Job#webhookOutbox()}) is written with the transition in one conditional write, and
 * handed here afterwards. Implemented by the webhook queue; a no-op where nothing is sent.
 */
@FunctionalInterface
public interface JobEventSink {
    JobEventSink NONE = job -> { };

    /** Enqueues the job's pending events; throws if they could not be enqueued (they stay pending). */
    void publish(Job job);
}
