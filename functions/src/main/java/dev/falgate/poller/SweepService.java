package dev.falgate.poller;

import dev.falgate.jobs.JobRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The safety net under submit and fal's webhook. A job sits in the sparse {@code by_sweep} index
 * while nothing else is sure to look at it: until its submit claims it (a crash in the submit
 * window), and, sent with our webhook, until it ends (it has no poll message). Its sweep time is
 * when it is overdue; each run finds only overdue jobs (a range condition on the sweep time),
 * starts their poll chains (the poller reschedules itself from there) and takes them out of the
 * index. When all is well each run is one Query that finds nothing: webhooks end jobs before
 * they are overdue, and an ended job leaves the index.
 */
public final class SweepService {
    static final int PAGE = 100;
    /** At most this many pages a run (bounded work: the rest is due at the next run). */
    static final int MAX_PAGES = 5;

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
        Instant now = clock.instant();
        List<String> swept = new ArrayList<>();
        for (int page = 0; page < MAX_PAGES; page++) {
            List<JobRepository.SweepDue> due = jobs.sweepDue(now, PAGE);
            if (due.isEmpty()) {
                break;
            }
            List<String> ids = due.stream().map(JobRepository.SweepDue::jobId).toList();
            // poll first: a crash before the index update only means one more (harmless) poll
            polls.pollNow(ids);
            due.forEach(jobs::clearSweep);
            swept.addAll(ids);
            if (due.size() < PAGE) {
                break; // a cleared job leaves the index, so the next Query starts at the next page
            }
        }
        return swept;
    }
}
