package dev.falgate.submit;

import dev.falgate.jobs.Job;
import dev.falgate.jobs.JobRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code Prefer: wait}: reads the job item until it ends or the time is up. The reads back off
 * (0.1 s growing to 1 s), so a 25 s wait costs about 30 single-item reads and no busy loop;
 * the job's end is written by the callback or the poller, never by this wait.
 */
public final class JobWaiter {
    static final Duration FIRST_PAUSE = Duration.ofMillis(100);
    static final Duration LONGEST_PAUSE = Duration.ofSeconds(1);
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
        Instant deadline = clock.instant().plus(budget);
        Duration next = FIRST_PAUSE;
        while (true) {
            Optional<Job> job = jobs.find(tenant, jobId);
            if (job.isEmpty() || job.get().status().terminal()) {
                return job;
            }
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                return Optional.empty();
            }
            try {
                pause.sleep(next.compareTo(left) < 0 ? next : left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
            next = next.multipliedBy(3).dividedBy(2);
            next = next.compareTo(LONGEST_PAUSE) < 0 ? next : LONGEST_PAUSE;
        }
    }
}
