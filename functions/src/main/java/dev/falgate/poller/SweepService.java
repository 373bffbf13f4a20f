package dev.falgate.poller;

import dev.falgate.jobs.JobRepository;
import java.time.Clock;
import java.util.List;

/**
 * The safety net under submit: a job is written before its first poll is scheduled, and a crash
 * (or a failed SendMessage) in between would leave it with nothing that ever looks at it. Such a
 * job stays in the sparse {@code by_sweep} index past its sweep time; this schedules its poll
 * and takes it out of the index. Healthy jobs leave the index within seconds (their sender
 * claims them), so each run is one Query that finds nothing.
 */
public final class SweepService {
    static final int PAGE = 100;

    private final JobRepository jobs;
    private final PollScheduler polls;
    private final Clock clock;

    public SweepService(JobRepository jobs, PollScheduler polls, Clock clock) {
        this.jobs = jobs;
        this.polls = polls;
        this.clock = clock;
    }

    /** @return the ids of the jobs given a poll */
    public List<String> sweep() {
        List<String> due = jobs.dueForSweep(clock.instant(), PAGE);
        for (String jobId : due) {
            // poll first: a crash before the index update only means one more (harmless) poll
            polls.pollNow(jobId);
            jobs.update(jobId, j -> {
                if (j.sweepAt() == null) {
                    return false;
                }
                j.swept();
                return true;
            });
        }
        return due;
    }
}
