package dev.falgate.poller;

import dev.falgate.catalog.Catalog;
import dev.falgate.jobs.Job;
import dev.falgate.outputs.OutputCollector;

/**
 * Finishes a job right where its result was recorded (fal's webhook) when its outputs are
 * images: the copy takes a fraction of a second, and it saves the finish queue's message, the
 * finisher's read of the job and the hop's latency. Anything else (3D models, multiview sets: copies that can take
 * minutes) and any copy that fails for now goes to the finish queue as before, which retries
 * it until the deadline. A crash here loses nothing: the result is recorded, and the job's
 * poll message hands it to the finish queue when it comes.
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

    /** {@code recorded}: the job as the write that recorded its result returned it. */
    public void finish(Job recorded) {
        if (!JobFinisher.needsFinishing(recorded)) {
            return;
        }
        if (!imageOutputs(recorded.model())) {
            polls.finishNow(recorded.id());
            return;
        }
        try {
            finisher.finish(recorded);
        } catch (OutputCollector.OutputCopyException e) {
            if (e.permanent()) {
                finisher.failCopy(recorded, e.getMessage());
            } else {
                polls.finishNow(recorded.id()); // retried there with backoff until the deadline
            }
        } catch (RuntimeException e) {
            dev.falgate.http.Log.warn(null, "job " + recorded.id() + ": finishing in place failed, handed to the finish queue: " + e);
            polls.finishNow(recorded.id());
        }
    }

    private boolean imageOutputs(String model) {
        return catalog.find(model).map(m -> dev.falgate.dispatch.JobTiming.isQuick(m.category())).orElse(false);
    }
}
