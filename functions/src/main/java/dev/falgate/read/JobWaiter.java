package dev.falgate.read;

import dev.falgate.jobs.Job;
import dev.falgate.jobs.JobRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Waits for a job's end by reading its item until it ends or the time is up: {@code Prefer: wait}
 * on submit and {@code GET /v1/jobs/{id}?wait=N}. The job's end is written by the callback or
 * the poller, never by this wait.
 *
 * <p>The pauses between reads start at 10 ms and grow ×1.5 to 50 ms, stay there for the first
 * {@link #QUICK_PHASE} of the wait (an end is seen within 50 ms of being written: image jobs end
 * in that phase), then grow ×1.5 to 100 ms. A long job's end passes through more of our steps
 * than {@code fal.subscribe}'s (webhook, callback, the finish queue's copy), and fal's client sees
 * it at its next 500 ms status poll, 250 ms later on average; with 250 ms pauses here the 3D
 * model's median in {@code bench/run latency} came out 50–300 ms behind fal's, with 100 ms ahead
 * of it. A full 25 s wait is about 350 consistent single-item reads, 1 RRU each for an item under
 * 4 KB: about $0.000044 on demand (at $0.125 per million), against $0.00043 for the 1 GB
 * function's 25 s of duration that any wait costs.
 */
public final class JobWaiter {
    static final Duration FIRST_PAUSE = Duration.ofMillis(10);
    static final Duration QUICK_PAUSE = Duration.ofMillis(50);
    static final Duration QUICK_PHASE = Duration.ofSeconds(10);
    static final Duration LONGEST_PAUSE = Duration.ofMillis(100);
    /** Left for rendering and answering after the wait, so the function never runs out of time. */
    public static final Duration MARGIN = Duration.ofSeconds(3);

    /** Sleeps; a seam so unit tests need not wait. */
    public interface Pause {
        void sleep(Duration d) throws InterruptedException;
    }

    private final JobRepository jobs;
    private final Clock clock;
    private final Pause pause;

    public JobWaiter(JobRepository jobs, Clock clock) {
        this(jobs, clock, d -> Thread.sleep(d.toMillis()));
    }

    public JobWaiter(JobRepository jobs, Clock clock, Pause pause) {
        this.jobs = jobs;
        this.clock = clock;
        this.pause = pause;
    }

    /** The wait actually granted: what was asked, cut to the function's remaining time minus {@link #MARGIN}. */
    public static Duration budget(Duration asked, Duration remaining) {
        Duration left = remaining.minus(MARGIN);
        return left.isNegative() ? Duration.ZERO : asked.compareTo(left) <= 0 ? asked : left;
    }

    /** The job once it has ended, or empty when it has not within {@code budget}. */
    public Optional<Job> awaitEnd(String tenant, String jobId, Duration budget) {
        return latest(tenant, jobId, budget).filter(job -> job.status().terminal());
    }

    /**
     * The job as last read: ended, or as it stood when {@code budget} ran out; empty when there is
     * no such job (answered at the first read, without waiting).
     */
    public Optional<Job> latest(String tenant, String jobId, Duration budget) {
        Instant start = clock.instant();
        Instant deadline = start.plus(budget);
        Duration next = FIRST_PAUSE;
        while (true) {
            Optional<Job> job = jobs.find(tenant, jobId);
            if (job.isEmpty() || job.get().status().terminal()) {
                return job;
            }
            Instant now = clock.instant();
            Duration left = Duration.between(now, deadline);
            if (left.isNegative() || left.isZero()) {
                return job;
            }
            try {
                pause.sleep(next.compareTo(left) < 0 ? next : left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return job;
            }
            next = nextPause(next, Duration.between(start, now));
        }
    }

    /** ×1.5 up to 50 ms during the quick phase, then ×1.5 up to 100 ms. */
    static Duration nextPause(Duration last, Duration waited) {
        Duration cap = waited.compareTo(QUICK_PHASE) < 0 ? QUICK_PAUSE : LONGEST_PAUSE;
        Duration grown = last.multipliedBy(3).dividedBy(2);
        return grown.compareTo(cap) < 0 ? grown : cap;
    }
}
