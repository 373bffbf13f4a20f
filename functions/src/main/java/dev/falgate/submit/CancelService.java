package dev.falgate.submit;

import dev.falgate.fal.FalClient;
import dev.falgate.fal.FalException;
import dev.falgate.http.ApiException;
import dev.falgate.jobs.Job;
import dev.falgate.jobs.JobRepository;
import dev.falgate.jobs.JobStatus;
import dev.falgate.read.JobQueries;
import java.time.Clock;

/**
 * {@code POST /v1/jobs/{id}/cancel}. A queued or running job is cancelled at fal and becomes
 * {@code canceled}; cancelling again returns it unchanged; a finished job gets 409. If fal
 * completes the job anyway, it stays canceled and keeps its outputs.
 */
public final class CancelService {
    private final JobRepository jobs;
    private final FalClient fal;
    private final Clock clock;

    public CancelService(JobRepository jobs, FalClient fal, Clock clock) {
        this.jobs = jobs;
        this.fal = fal;
        this.clock = clock;
    }

    public Job cancel(String tenant, String jobId) {
        Job job = JobQueries.find(jobs, tenant, jobId);
        if (job.status() == JobStatus.CANCELED) {
            return job;
        }
        if (job.status().terminal()) {
            throw notCancelable(job);
        }
        // Canceled here first, then at fal: fal answers a cancel with a client_cancelled result at
        // once, and that result must find the job canceled, not still pending (where the callback
        // would finish it as failed before this write and the caller would get a 409).
        Job after = jobs.update(jobId, j -> j.moveTo(JobStatus.CANCELED, "cancel", clock.instant())).orElseThrow();
        if (after.status() != JobStatus.CANCELED) {
            throw notCancelable(after);
        }
        if (after.falCancelUrl() != null) {
            try {
                fal.cancel(after.falCancelUrl());
            } catch (FalException e) {
                // fal unreachable: the job is canceled for the caller all the same; a late
                // result is still stored, as for any job fal completes despite a cancel
            }
        }
        return after;
    }

    private static ApiException notCancelable(Job job) {
        return new ApiException(409, "not_cancelable", "job already " + job.status().wire()); // succeeded, failed, canceled
    }
}
