package dev.falgate.poller;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.catalog.Catalog;
import dev.falgate.jobs.Job;
import dev.falgate.outputs.OutputCollector;

/**
 * Finishes a job right where its result arrives (fal's webhook) when its outputs are images:
 * the copy takes a fraction of a second, and it saves the finish queue's message, the
 * finisher's read of the job and the hop's latency. Anything else (3D models, multiview sets: copies that can take
 * minutes) and any copy that fails for now goes to the finish queue as before, which retries
 * it until the deadline. A crash here loses nothing: either nothing is recorded yet (fal
 * delivers the webhook again; the sweeper's poll fetches the result if every delivery fails),
 * or the result is recorded and the job stays in the sweep index until it ends.
 */
public final class ImmediateFinish {
    private final JobFinisher finisher;
    private final PollScheduler polls;
    private final Catalog catalog;

    public ImmediateFinish(JobFinisher finisher, PollScheduler polls, Catalog catalog) {
        this.finisher = finisher;
        this.polls = polls;
        this.catalog = catalog;
    }

    /** A copy made before the result was recorded: its files, or why it failed. */
    public record Copy(OutputCollector.Collected collected, RuntimeException failure) {
    }

    /** Whether a job of this model is finished in place (its outputs are images). */
    public boolean inPlace(String model) {
        return catalog.find(model).map(m -> dev.falgate.dispatch.JobTiming.isQuick(m.category())).orElse(false);
    }

    /** Copies a webhook's outputs before anything is written; a failure is kept for after the result is recorded. */
    public Copy copy(String tenant, String jobId, String requestId, JsonNode payload) {
        try {
            return new Copy(finisher.copy(tenant, jobId, requestId, payload), null);
        } catch (RuntimeException e) {
            return new Copy(null, e);
        }
    }

    /** Deletes a copy no job will list (its job is gone, or the webhook was refused: its request's own folder). */
    public void discard(Copy copy) {
        if (copy.collected() != null) {
            finisher.discard(copy.collected());
        }
    }

    /** {@code recorded}: the job as the write that recorded its result returned it. */
    public void finish(Job recorded) {
        if (!JobFinisher.needsFinishing(recorded)) {
            return;
        }
        if (!inPlace(recorded.model())) {
            polls.finishNow(recorded.id());
            return;
        }
        try {
            finisher.finish(recorded);
        } catch (RuntimeException e) {
            afterFailedCopy(recorded, e);
        }
    }

    /** Ends a job whose result was just recorded with the copy made before (or as its failure allows). */
    public void finish(Job recorded, Copy copy) {
        if (!JobFinisher.needsFinishing(recorded)) {
            if (recorded.status() == dev.falgate.jobs.JobStatus.FAILED && copy.collected() != null) {
                finisher.discard(copy.collected()); // it ended (timed out) without them: no file outlives its use
            }
            return;
        }
        if (copy.failure() != null) {
            afterFailedCopy(recorded, copy.failure());
            return;
        }
        finisher.complete(recorded, copy.collected());
    }

    /** A permanent copy failure fails the job; anything else is retried on the finish queue until the deadline. */
    private void afterFailedCopy(Job recorded, RuntimeException e) {
        if (e instanceof OutputCollector.OutputCopyException copyFailure && copyFailure.permanent()) {
            finisher.failCopy(recorded, e.getMessage());
            return;
        }
        if (!(e instanceof OutputCollector.OutputCopyException)) {
            dev.falgate.http.Log.warn(null, "job " + recorded.id() + ": finishing in place failed, handed to the finish queue: " + e);
        }
        polls.finishNow(recorded.id()); // retried there with backoff until the deadline
    }
}
