package dev.falgate.emulator.queue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.catalog.ModelSpec;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;

/**
 * One queued request and its life. Mutations are synchronized; readers take a {@link View}.
 * Every change bumps {@code version} and wakes threads waiting in {@link #awaitChange}.
 */
public final class FalRequest {
    private final String id;
    private final long sequence;
    private final EndpointId endpoint;
    private final ModelSpec model;
    private final ObjectNode input;
    private final URI webhook;
    /** The account that submitted it: the only one that may read or cancel it. */
    private final String userId;
    /** System.nanoTime() when the request has done its queue wait and may take a free slot. */
    private final long readyAtNanos;

    private QueueState state = QueueState.IN_QUEUE;
    private final List<LogEntry> logs = new ArrayList<>();
    private Instant startedAt;
    private Instant completedAt;
    private Outcome outcome;
    private Future<?> pending;
    private long version;
    private boolean announced;
    /** System.nanoTime() when the result expires; null while it does not. */
    private Long expiresAtNanos;
    private RequestPreferences preferences = RequestPreferences.NONE;

    /** An immutable copy of the request's state. */
    public record View(QueueState state, List<LogEntry> logs, Outcome outcome, Instant startedAt,
            Instant completedAt, long version) {

        /** Seconds between start and completion, as fal's {@code metrics.inference_time}. */
        public double inferenceSeconds() {
            if (startedAt == null || completedAt == null) {
                return 0;
            }
            return Duration.between(startedAt, completedAt).toNanos() / 1e9;
        }
    }

    FalRequest(String id, long sequence, EndpointId endpoint, ModelSpec model, ObjectNode input,
            URI webhook, String userId, long readyAtNanos) {
        this.id = id;
        this.sequence = sequence;
        this.endpoint = endpoint;
        this.model = model;
        this.input = input;
        this.webhook = webhook;
        this.userId = userId;
        this.readyAtNanos = readyAtNanos;
    }

    public String id() {
        return id;
    }

    long sequence() {
        return sequence;
    }

    public EndpointId endpoint() {
        return endpoint;
    }

    public ModelSpec model() {
        return model;
    }

    public ObjectNode input() {
        return input;
    }

    public Optional<URI> webhook() {
        return Optional.ofNullable(webhook);
    }

    public String userId() {
        return userId;
    }

    public synchronized View view() {
        return new View(state, List.copyOf(logs), outcome, startedAt, completedAt, version);
    }

    /** Blocks until the version moves past {@code seenVersion} or the timeout passes. */
    public synchronized View awaitChange(long seenVersion, long timeoutMillis)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        long left = timeoutMillis;
        while (version == seenVersion && left > 0) {
            wait(left);
            left = deadline - System.currentTimeMillis();
        }
        return view();
    }

    boolean isReady(long nowNanos) {
        return nowNanos - readyAtNanos >= 0;
    }

    synchronized boolean isCompleted() {
        return state == QueueState.COMPLETED;
    }

    /** Wakes status streams: the queue moved, so this request's queue_position changed. */
    synchronized void queueMoved() {
        changed();
    }

    /** True only the first time: a request announces its outcome (the webhook) once. */
    synchronized boolean announce() {
        boolean first = !announced;
        announced = true;
        return first;
    }

    synchronized void prefer(RequestPreferences asked) {
        preferences = asked;
    }

    public synchronized RequestPreferences preferences() {
        return preferences;
    }

    synchronized void expireAt(long nanos) {
        expiresAtNanos = nanos;
    }

    synchronized boolean isExpired(long nowNanos) {
        return expiresAtNanos != null && nowNanos - expiresAtNanos >= 0;
    }

    /** The next scheduled step, cancelled on completion (best effort: steps are idempotent). */
    synchronized void setPending(Future<?> future) {
        pending = future;
    }

    synchronized boolean start(Instant now) {
        if (state != QueueState.IN_QUEUE) {
            return false;
        }
        state = QueueState.IN_PROGRESS;
        startedAt = now;
        changed();
        return true;
    }

    synchronized void log(LogEntry entry) {
        logs.add(entry);
        changed();
    }

    /** Completes once; later calls (a run finishing after a cancel) are ignored. */
    synchronized boolean complete(Outcome result, Instant now) {
        if (state == QueueState.COMPLETED) {
            return false;
        }
        if (startedAt == null) {
            startedAt = now;
        }
        state = QueueState.COMPLETED;
        completedAt = now;
        outcome = result;
        if (pending != null) {
            pending.cancel(false);
        }
        changed();
        return true;
    }

    synchronized boolean completedBefore(Instant cutoff) {
        return completedAt != null && completedAt.isBefore(cutoff);
    }

    private void changed() {
        version++;
        notifyAll();
    }
}
