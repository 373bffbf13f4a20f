package dev.falgate.poller;

import dev.falgate.catalog.Catalog;
import dev.falgate.dispatch.FalSubmitter;
import dev.falgate.dispatch.JobTiming;
import dev.falgate.fal.FalClient;
import dev.falgate.fal.FalException;
import dev.falgate.http.Json;
import dev.falgate.jobs.Job;
import dev.falgate.jobs.JobRepository;
import dev.falgate.jobs.JobStatus;
import dev.falgate.jobs.ResultRecorder;
import dev.falgate.storage.OutputCollector;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * One poll message: finish a job whose result is recorded, retry a submit fal refused with a
 * 5xx/429, or ask fal how the job is doing and schedule the next poll. Covers every missed
 * webhook: a pending job always has a poll message on the queue.
 */
public final class PollService {
    private final JobRepository jobs;
    private final FalClient fal;
    private final ResultRecorder results;
    private final JobFinisher finisher;
    private final FalSubmitter submitter;
    private final PollScheduler polls;
    private final Catalog catalog;
    private final JobTiming timing;
    private final Clock clock;

    public PollService(JobRepository jobs, FalClient fal, ResultRecorder results, JobFinisher finisher,
            FalSubmitter submitter, PollScheduler polls, Catalog catalog, JobTiming timing, Clock clock) {
        this.jobs = jobs;
        this.fal = fal;
        this.results = results;
        this.finisher = finisher;
        this.submitter = submitter;
        this.polls = polls;
        this.catalog = catalog;
        this.timing = timing;
        this.clock = clock;
    }

    public void process(PollScheduler.Message message) {
        Optional<Job> found = jobs.find(message.jobId());
        if (found.isEmpty()) {
            return;
        }
        Job job = found.get();
        if (job.hasResult()) {
            finishOrRetry(job, message);
            return;
        }
        if (job.status().terminal()) {
            if (mayCompleteDespiteCancel(job)) {
                askFal(job, message, () -> pollFal(job, message));
            }
            return;
        }
        if (clock.instant().isAfter(job.deadlineAt())) {
            timeOut(job);
            return;
        }
        askFal(job, message, () -> advance(job, message));
    }

    /**
     * A cancel is only a request to fal: until fal reports the request done (or the deadline
     * passes) keep polling a canceled job, so outputs fal produces anyway are kept even when no
     * webhook comes. The job stays canceled whatever fal answers.
     */
    private boolean mayCompleteDespiteCancel(Job job) {
        return job.status() == JobStatus.CANCELED && job.submitState() == Job.SubmitState.SUBMITTED
                && job.falStatusUrl() != null && !clock.instant().isAfter(job.deadlineAt());
    }

    private void askFal(Job job, PollScheduler.Message message, Runnable call) {
        try {
            call.run();
        } catch (FalException e) {
            if (e.kind() == FalException.Kind.OTHER && e.status() == 404) {
                jobs.update(job.id(), j -> j.fail("upstream_lost", "fal no longer knows request " + j.falRequestId(), "poller", clock.instant()));
                return;
            }
            polls.next(job.id(), PollScheduler.Reason.POLL, message.attempt());
        }
    }

    private void finishOrRetry(Job job, PollScheduler.Message message) {
        try {
            finisher.finish(job);
        } catch (OutputCollector.OutputCopyException e) {
            polls.next(job.id(), PollScheduler.Reason.FINISH, message.attempt());
        }
    }

    /**
     * A pending job without fal's result: send it if fal certainly does not have it and its
     * sender is gone, note a sender that died mid-call as uncertain, or ask fal how it is doing.
     */
    private void advance(Job job, PollScheduler.Message message) {
        Instant now = clock.instant();
        switch (job.submitState()) {
            case PENDING, RETRY -> {
                // PENDING: the submit request that wrote it may still be about to claim it
                boolean senderGone = job.submitState() == Job.SubmitState.RETRY || timing.inFlightOver(job.createdAt(), now);
                Job after = senderGone ? submitter.dispatch(job, "poller") : job;
                if (!after.status().terminal()) {
                    polls.next(job.id(), PollScheduler.Reason.POLL, message.attempt());
                }
            }
            case SUBMITTING -> {
                if (timing.inFlightOver(job.submitClaimedAt(), now)) {
                    // its sender died talking to fal: fal may have it, so it is never sent again
                    jobs.update(job.id(), j -> j.submitState() == Job.SubmitState.SUBMITTING
                            && timing.inFlightOver(j.submitClaimedAt(), now) && setUncertain(j, now));
                }
                polls.next(job.id(), PollScheduler.Reason.POLL, message.attempt());
            }
            // fal may have the request: wait for its webhook to name it, never resubmit blindly
            case UNCERTAIN -> polls.next(job.id(), PollScheduler.Reason.POLL, message.attempt());
            case SUBMITTED -> pollFal(job, message);
        }
    }

    private static boolean setUncertain(Job j, Instant now) {
        j.setSubmitState(Job.SubmitState.UNCERTAIN, now);
        return true;
    }

    private void pollFal(Job job, PollScheduler.Message message) {
        FalClient.Status status = fal.status(job.falStatusUrl());
        if (status.completed()) {
            FalClient.Result result = fal.result(job.falResponseUrl());
            results.record(job.id(), result.ok(), parseLenient(result.body()),
                            result.ok() ? null : "fal answered " + result.httpStatus(), "poller")
                    .ifPresent(j -> finishOrRetry(j, message));
            return;
        }
        if (status.inProgress() && job.status() == JobStatus.QUEUED) {
            jobs.update(job.id(), j -> j.moveTo(JobStatus.RUNNING, "poller", clock.instant()));
        }
        polls.next(job.id(), PollScheduler.Reason.POLL, message.attempt());
    }

    /** fal's result body as JSON; a body that is not JSON is kept as text (fal's error pages). */
    private static com.fasterxml.jackson.databind.JsonNode parseLenient(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            return Json.MAPPER.getNodeFactory().textNode(body);
        }
    }

    private void timeOut(Job job) {
        Instant now = clock.instant();
        int deadline = catalog.find(job.model()).map(m -> m.category().deadlineSeconds()).orElse(0);
        Optional<Job> failed = jobs.update(job.id(), j -> j.fail("timeout",
                "no result from fal within " + deadline + " s", "poller", now));
        if (failed.isPresent() && failed.get().falCancelUrl() != null) {
            try {
                fal.cancel(failed.get().falCancelUrl());
            } catch (FalException e) {
                // best effort: the job is failed for the caller either way
            }
        }
    }
}
