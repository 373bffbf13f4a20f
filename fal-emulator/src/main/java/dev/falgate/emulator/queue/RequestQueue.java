package dev.falgate.emulator.queue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.catalog.ModelSpec;
import dev.falgate.emulator.RuntimeSettings;
import dev.falgate.emulator.faults.Fault;
import dev.falgate.emulator.faults.FaultPlan;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The queue: IN_QUEUE → IN_PROGRESS (inputs fetched, outputs made on a worker) → COMPLETED.
 * A request waits its category's queue time, then for a free slot under the concurrency limit,
 * first come first served; so {@code queue_position} counts down as earlier requests start.
 * Transitions are timed on the scheduler, never by sleeping in a request thread.
 */
public final class RequestQueue {

    /** Checks the input, fetches files and makes the output; runs on a worker thread. */
    public interface Processor {
        Outcome process(FalRequest request);
    }

    private final Map<String, FalRequest> requests = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    /** Requests IN_QUEUE by arrival; guarded by this. */
    private final NavigableMap<Long, FalRequest> waiting = new TreeMap<>();
    /** Requests holding a concurrency slot; guarded by this. */
    private final Set<FalRequest> running = new HashSet<>();
    /** The most requests that ever held a slot at once; guarded by this. */
    private int mostRunning;
    private final RuntimeSettings settings;
    private final FaultPlan faults;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    private final Processor processor;
    private final BiConsumer<FalRequest, Outcome> onOutcome;
    private final Consumer<String> onEvicted;
    private final Clock clock;

    /**
     * @param onOutcome told once per request when its outcome is known (sends the webhook)
     * @param onEvicted told when a request is forgotten (drops its files)
     */
    public RequestQueue(RuntimeSettings settings, FaultPlan faults,
            ScheduledExecutorService scheduler, ExecutorService workers, Processor processor,
            BiConsumer<FalRequest, Outcome> onOutcome, Consumer<String> onEvicted, Clock clock) {
        this.settings = settings;
        this.faults = faults;
        this.scheduler = scheduler;
        this.workers = workers;
        this.processor = processor;
        this.onOutcome = onOutcome;
        this.onEvicted = onEvicted;
        this.clock = clock;
    }

    /** Queues a request for the account {@code userId}; it runs and completes on its own. */
    public FalRequest submit(ModelSpec model, EndpointId endpoint, ObjectNode input, URI webhook,
            String userId) {
        return submit(model, endpoint, input, webhook, userId, RequestPreferences.NONE);
    }

    /** As above, keeping what the submit's headers asked for. */
    public FalRequest submit(ModelSpec model, EndpointId endpoint, ObjectNode input, URI webhook,
            String userId, RequestPreferences preferences) {
        Duration wait = Timing.queueWait(model.category(), settings.speed());
        FalRequest request = new FalRequest(UUID.randomUUID().toString(),
                sequence.incrementAndGet(), endpoint, model, input, webhook,
                userId, System.nanoTime() + wait.toNanos());
        request.prefer(preferences);
        requests.put(request.id(), request);
        synchronized (this) {
            waiting.put(request.sequence(), request);
        }
        schedule(this::dispatch, wait);
        return request;
    }

    /** The request, unless unknown or its result has expired (then it is forgotten). */
    public Optional<FalRequest> find(String requestId) {
        FalRequest request = requests.get(requestId);
        if (request != null && request.isExpired(System.nanoTime())) {
            forget(request);
            return Optional.empty();
        }
        return Optional.ofNullable(request);
    }

    /** Call after raising the concurrency limit: waiting requests take the new slots now. */
    public void concurrencyChanged() {
        scheduler.execute(this::dispatch);
    }

    /** 0-based: how many requests that arrived earlier are still waiting. */
    /** The high-water mark of requests running at once: what the concurrency limit must bound. */
    public synchronized int mostRunningAtOnce() {
        return mostRunning;
    }

    public synchronized int queuePosition(FalRequest request) {
        return waiting.headMap(request.sequence(), false).size();
    }

    /**
     * Queued or running requests end at once as cancelled (fal leaves it to the app; stopping
     * is the simplest faithful choice), unless the {@code complete_despite_cancel} fault lets
     * one run on as fal warns may happen. The webhook reports a cancellation as an ERROR.
     */
    public CancelResult cancel(FalRequest request) {
        if (request.isCompleted()) {
            return CancelResult.ALREADY_COMPLETED;
        }
        if (faults.fires(Fault.COMPLETE_DESPITE_CANCEL)) {
            return CancelResult.CANCELLATION_REQUESTED;
        }
        return finish(request, Outcome.cancelled()) ? CancelResult.CANCELLATION_REQUESTED
                : CancelResult.ALREADY_COMPLETED;
    }

    /**
     * Forgets requests whose result expired, and any completed longer ago than
     * {@code retention} (the emulator keeps outputs in memory).
     */
    public void evictCompletedBefore(Duration retention) {
        Instant cutoff = now().minus(retention);
        long nowNanos = System.nanoTime();
        requests.values().stream()
                .filter(r -> r.completedBefore(cutoff) || r.isExpired(nowNanos))
                .toList()
                .forEach(this::forget);
    }

    private void forget(FalRequest request) {
        if (requests.remove(request.id(), request)) {
            onEvicted.accept(request.id());
        }
    }

    /** Starts waiting requests that are through their queue wait while slots are free. */
    private void dispatch() {
        List<FalRequest> starting = new ArrayList<>();
        synchronized (this) {
            long now = System.nanoTime();
            Iterator<FalRequest> queued = waiting.values().iterator();
            while (queued.hasNext() && hasFreeSlot()) {
                FalRequest next = queued.next();
                if (next.isReady(now)) {
                    queued.remove();
                    running.add(next);
                    mostRunning = Math.max(mostRunning, running.size());
                    starting.add(next);
                }
            }
            if (!starting.isEmpty()) {
                waiting.tailMap(starting.get(0).sequence(), false).values()
                        .forEach(FalRequest::queueMoved);
            }
        }
        starting.forEach(this::start);
    }

    private boolean hasFreeSlot() {
        int limit = settings.concurrency();
        return limit == 0 || running.size() < limit;
    }

    private void start(FalRequest request) {
        if (!request.start(now())) {
            release(request); // cancelled between dispatch and start
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
        request.setPending(schedule(() -> runnerDone(request, outcome), left));
    }

    private Outcome processSafely(FalRequest request) {
        try {
            return processor.process(request);
        } catch (RuntimeException e) {
            return Outcome.internalError("Internal error: " + e);
        }
    }

    /** The {@code webhook_before_result} fault announces first and completes later. */
    private void runnerDone(FalRequest request, Outcome outcome) {
        if (request.webhook().isPresent() && !request.isCompleted()
                && faults.fires(Fault.WEBHOOK_BEFORE_RESULT)) {
            announce(request, outcome);
            schedule(() -> finish(request, outcome), faults.delay(Fault.WEBHOOK_BEFORE_RESULT));
        } else {
            finish(request, outcome);
        }
    }

    /** Completes the request (once), frees its slot and announces the outcome. */
    private boolean finish(FalRequest request, Outcome outcome) {
        if (!request.complete(outcome, now())) {
            return false;
        }
        if (settings.expireResults() || !request.preferences().storeIo()) {
            Duration kept = Timing.resultRetention(outcome.resultBytes(), settings.speed());
            request.expireAt(System.nanoTime() + kept.toNanos());
        }
        release(request);
        announce(request, outcome);
        return true;
    }

    private void announce(FalRequest request, Outcome outcome) {
        if (request.announce()) {
            onOutcome.accept(request, outcome);
        }
    }

    /** Takes the request out of the queue or its slot; a freed slot goes to the next. */
    private void release(FalRequest request) {
        boolean slotFreed;
        synchronized (this) {
            if (waiting.remove(request.sequence()) != null) {
                waiting.tailMap(request.sequence(), false).values()
                        .forEach(FalRequest::queueMoved);
            }
            slotFreed = running.remove(request);
        }
        if (slotFreed) {
            dispatch();
        }
    }

    private Future<?> schedule(Runnable task, Duration delay) {
        return scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private Instant now() {
        return clock.instant();
    }
}
