package dev.falgate.emulator.queue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.catalog.ModelSpec;
import dev.falgate.emulator.RuntimeSettings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The queue state machine: IN_QUEUE → IN_PROGRESS (inputs fetched, outputs made on a worker)
 * → COMPLETED. Transitions are timed on the scheduler, never by sleeping in a request thread.
 */
public final class RequestQueue {

    /** Checks the input, fetches files and makes the output; runs on a worker thread. */
    public interface Processor {
        Outcome process(FalRequest request);
    }

    private final Map<String, FalRequest> requests = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final RuntimeSettings settings;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    private final Processor processor;
    private final Consumer<FalRequest> onCompleted;
    private final Consumer<String> onEvicted;
    private final Clock clock;

    public RequestQueue(RuntimeSettings settings, ScheduledExecutorService scheduler,
            ExecutorService workers, Processor processor, Consumer<FalRequest> onCompleted,
            Consumer<String> onEvicted, Clock clock) {
        this.settings = settings;
        this.scheduler = scheduler;
        this.workers = workers;
        this.processor = processor;
        this.onCompleted = onCompleted;
        this.onEvicted = onEvicted;
        this.clock = clock;
    }

    public FalRequest submit(ModelSpec model, EndpointId endpoint, ObjectNode input, URI webhook) {
        FalRequest request = new FalRequest(UUID.randomUUID().toString(),
                sequence.incrementAndGet(), endpoint, model, input, webhook);
        requests.put(request.id(), request);
        Duration wait = Timing.queueWait(model.category(), settings.speed());
        request.setPending(scheduler.schedule(() -> start(request), wait.toNanos(),
                TimeUnit.NANOSECONDS));
        return request;
    }

    public Optional<FalRequest> find(String requestId) {
        return Optional.ofNullable(requests.get(requestId));
    }

    /** 0-based: how many requests submitted earlier are still waiting. */
    public int queuePosition(FalRequest request) {
        return (int) requests.values().stream()
                .filter(r -> r.sequence() < request.sequence() && r.isQueued())
                .count();
    }

    /**
     * Queued or running requests end at once as cancelled (fal leaves it to the app; stopping
     * is the simplest faithful choice). Their webhook reports the cancellation as an ERROR.
     */
    public CancelResult cancel(FalRequest request) {
        if (!request.complete(Outcome.cancelled(), now())) {
            return CancelResult.ALREADY_COMPLETED;
        }
        onCompleted.accept(request);
        return CancelResult.CANCELLATION_REQUESTED;
    }

    /** Forgets requests completed longer ago than {@code retention}, as fal's result expiry. */
    public void evictCompletedBefore(Duration retention) {
        Instant cutoff = now().minus(retention);
        requests.values().removeIf(r -> {
            boolean expired = r.completedBefore(cutoff);
            if (expired) {
                onEvicted.accept(r.id());
            }
            return expired;
        });
    }

    private void start(FalRequest request) {
        if (!request.start(now())) {
            return;
        }
        request.log(new LogEntry("Runner acquired, fetching input files", "INFO", now()));
        request.log(new LogEntry("Running " + request.model().id(), "INFO", now()));
        request.setPending(workers.submit(() -> run(request)));
    }

    private void run(FalRequest request) {
        Instant began = now();
        Outcome outcome = processSafely(request);
        request.log(new LogEntry(outcome.succeeded() ? "Outputs uploaded" : outcome.error(),
                outcome.succeeded() ? "INFO" : "ERROR", now()));
        Duration runTime = Timing.runTime(request.model().category(), settings.speed());
        Duration left = runTime.minus(Duration.between(began, now()));
        if (!outcome.succeeded() || left.isNegative()) {
            left = Duration.ZERO;
        }
        request.setPending(scheduler.schedule(() -> complete(request, outcome), left.toNanos(),
                TimeUnit.NANOSECONDS));
    }

    private Outcome processSafely(FalRequest request) {
        try {
            return processor.process(request);
        } catch (RuntimeException e) {
            return Outcome.internalError("Internal error: " + e);
        }
    }

    private void complete(FalRequest request, Outcome outcome) {
        if (request.complete(outcome, now())) {
            onCompleted.accept(request);
        }
    }

    private Instant now() {
        return clock.instant();
    }
}
