package dev.falgate.submit;

import dev.falgate.http.ApiException;
import dev.falgate.jobs.Job;
import dev.falgate.jobs.JobFile;
import dev.falgate.jobs.JobRepository;
import dev.falgate.read.JobQueries;
import dev.falgate.storage.BlobStore;

/**
 * {@code DELETE /v1/jobs/{id}}: a finished job goes, with its output files and fal's raw
 * result. Its inputs stay: an upload ref may serve other jobs until it expires. A job still
 * queued or running must be cancelled first, so nothing writes files after they are removed.
 */
public final class DeleteService {
    private final JobRepository jobs;
    private final BlobStore blobs;

    public DeleteService(JobRepository jobs, BlobStore blobs) {
        this.jobs = jobs;
        this.blobs = blobs;
    }

    public void delete(String tenant, String jobId) {
        Job job = JobQueries.find(jobs, tenant, jobId);
        if (!job.status().terminal()) {
            throw new ApiException(409, "not_finished", "job is " + job.status().wire() + ": cancel it first");
        }
        for (JobFile f : job.files()) {
            blobs.delete(f.key());
        }
        if (job.resultKey() != null) {
            blobs.delete(job.resultKey());
        }
        jobs.delete(job);
    }
}
