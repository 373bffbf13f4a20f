package dev.falgate.poller;

import dev.falgate.dispatch.FalSubmitter;
import dev.falgate.dispatch.JobTiming;
import dev.falgate.fal.FalClient;
import dev.falgate.fal.FalException;
import dev.falgate.http.Json;
import dev.falgate.jobs.Job;
import dev.falgate.jobs.JobRepository;
import dev.falgate.jobs.JobStatus;
import dev.falgate.jobs.ResultRecorder;
import dev.falgate.outputs.OutputCollector;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One message. A FINISH (on the finish queue) copies a recorded result's outputs, retried until
 * the job's deadline. A POLL sends a submit fal certainly did not take, or asks fal how the job
 * is doing and schedules the next poll; a result it reads or finds recorded goes to the finish
 * queue. Covers every missed webhook: a pending job always has a poll message on the queue.
 */
public final class PollService {
    private final JobRepository jobs;
    private final FalClient fal;
    private final ResultRecorder results;
    private final JobFinisher finisher;
    private final FalSubmitter submitter;
    private final PollScheduler polls;
    private final JobTiming timing;
    private final Clock clock;

    public PollService(JobRepository jobs, FalClient fal, ResultRecorder results, JobFinisher finisher,
            FalSubmitter submitter, PollScheduler polls, JobTiming timing, Clock clock) {
        this.jobs = jobs;
        this.fal = fal;
        this.results = results;
        this.finisher = finisher;
        this.submitter = submitter;
        this.polls = polls;
        this.timing = timing;
        this.clock = clock;
    }

    public void process(PollScheduler.Message message) {
        Optional<Job> found = jobs.find(message.jobId());
        if (found.isEmpty()) {
            return;
        }
        Job job = found.get();
        jobs.relayStaleOutbox(job); // webhook events of a writer that died after its write
        if (job.hasResult()) {
            finishOrHandOff(job, message);
            return;
        }
        if (job.status().terminal()) {
            if (mayCompleteDespiteCancel(job)) {
                askFal(job, message, () -> pollFal(job, message));
            }
            return;
        }
        if (pastDeadline(job)) {
            timeOut(job);
            return;
        }
        askFal(job, message, () -> advance(job, message));
    }

    private boolean pastDeadline(Job job) {
        return clock.instant().isAfter(job.deadlineAt());
    }

    /** A FINISH message copies the outputs; a poll that finds a result left unfinished hands it to the finish queue. */
    private void finishOrHandOff(Job job, PollScheduler.Message message) {
        if (!JobFinisher.needsFinishing(job)) {
            return;
        }
        if (message.reason() == PollScheduler.Reason.FINISH) {
            finishOrRetry(job, message);
        } else {
            polls.finishNow(job.id());
        }
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

    /**
     * Copies the outputs. A transient copy error is retried with the usual backoff until the
     * job's deadline (the first attempt is always made, even when the result came late); a
     * permanent one, or a transient one past the deadline, fails the job {@code output_copy_failed}.
     */
    private void finishOrRetry(Job job, PollScheduler.Message message) {
        try {
            finisher.finish(job);
        } catch (OutputCollector.OutputCopyException e) {
            if (e.permanent()) {
                finisher.failCopy(job, e.getMessage());
            } else if (pastDeadline(job)) {
                finisher.failCopy(job, "outputs could not be copied by the job's deadline; last error: " + e.getMessage());
            } else {
                polls.next(job.id(), PollScheduler.Reason.FINISH, message.attempt());
            }
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
            recordAndHandOff(job);
            return;
        }
        if (status.inProgress() && job.status() == JobStatus.QUEUED) {
            jobs.update(job.id(), j -> j.moveTo(JobStatus.RUNNING, "poller", clock.instant()));
        }
        polls.next(job.id(), PollScheduler.Reason.POLL, message.attempt());
    }

    /** Reads the result of a request fal reports done, records it and sends it to the finish queue. */
    private Optional<Job> recordAndHandOff(Job job) {
        FalClient.Result result = fal.result(job.falResponseUrl());
        Optional<Job> recorded = results.record(job.id(), result.ok(), parseLenient(result.body()),
                result.ok() ? null : "fal answered " + result.httpStatus(), "poller", result.billableUnits());
        recorded.filter(JobFinisher::needsFinishing).ifPresent(j -> polls.finishNow(j.id()));
        return recorded;
    }

    /** fal's result body as JSON; a body that is not JSON is kept as text (fal's error pages). */
    private static com.fasterxml.jackson.databind.JsonNode parseLenient(String body) {
        try {
            return Json.readTree(body);
        } catch (java.io.IOException e) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(body);
        }
    }

    /**
     * At the deadline, one last look at fal first: a request that completed between two polls
     * is recorded and finished, not reported as a timeout. Otherwise the job fails
     * {@code timeout} and is cancelled at fal, or {@code upstream_uncertain} when fal may have
     * it but never named the request (its answer to our submit was lost or a 500).
     */
    private void timeOut(Job job) {
        if (completedAtFal(job)) {
            return;
        }
        Instant now = clock.instant();
        long allowed = Duration.between(job.createdAt(), job.deadlineAt()).toSeconds();
        Optional<Job> failed = jobs.update(job.id(), j -> uncertainToTheEnd(j)
                ? j.fail("upstream_uncertain", "fal's answer to the submit was lost or an error, and fal never named "
                        + "a request for this job within " + allowed + " s; it was not sent again, so it was not paid twice",
                        "poller", now)
                : j.fail("timeout", "no result from fal within " + allowed + " s", "poller", now));
        if (failed.isPresent() && failed.get().falCancelUrl() != null) {
            try {
                fal.cancel(failed.get().falCancelUrl());
            } catch (FalException e) {
                // best effort: the job is failed for the caller either way
            }
        }
    }

    private static boolean uncertainToTheEnd(Job j) {
        return j.falRequestId() == null
                && (j.submitState() == Job.SubmitState.UNCERTAIN || j.submitState() == Job.SubmitState.SUBMITTING);
    }

    /** Whether fal, asked once, has the job's result (then recorded and handed to the finish queue). */
    private boolean completedAtFal(Job job) {
        if (job.falStatusUrl() == null) {
            return false;
        }
        try {
            if (!fal.status(job.falStatusUrl()).completed()) {
                return false;
            }
            return recordAndHandOff(job).map(Job::hasResult).orElse(false);
        } catch (FalException e) {
            return false;
        }
    }
}
