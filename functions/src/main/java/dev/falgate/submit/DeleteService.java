package dev.falgate.submit;

import dev.falgate.http.ApiException;
import dev.falgate.jobs.Job;
import dev.falgate.jobs.JobFiles;
import dev.falgate.jobs.JobRepository;
import dev.falgate.read.JobQueries;
import dev.falgate.storage.BlobStore;

/**
 * {@code DELETE /v1/jobs/{id}}: a finished job goes, with its output files and fal's raw
 * result. Its inputs stay: an upload ref may serve other jobs until it expires. A job still
 * queued or running must be cancelled first. The item goes first (conditional on the version
 * read), then every file under the job's prefixes: a canceled job's late result being recorded
 * or copied at that moment then fails its own write and removes what it wrote
 * ({@link dev.falgate.jobs.ResultRecorder}, {@link dev.falgate.poller.JobFinisher}), so no file
 * outlives the delete.
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
        jobs.delete(job);
        // every output (and its thumbnail) was always written under the job's output prefix
        blobs.deletePrefix(JobFiles.outputPrefix(job.tenant(), job.id()));
        blobs.deletePrefix(JobFiles.resultPrefix(job.id()));
    }
}
