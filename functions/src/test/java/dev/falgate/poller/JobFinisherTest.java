package dev.falgate.poller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.falgate.http.Json;
import dev.falgate.jobs.FakeJobs;
import dev.falgate.jobs.JobFile;
import dev.falgate.jobs.JobRepository;
import dev.falgate.jobs.JobStatus;
import dev.falgate.jobs.ResultRecorder;
import dev.falgate.storage.BlobStore;
import dev.falgate.outputs.OutputCollector;
import java.util.List;
import java.util.Optional;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** A job whose outputs cannot be copied ends {@code output_copy_failed} and keeps fal's raw result. */
class JobFinisherTest {
    private static final Instant CREATED = Instant.parse("2026-11-24T12:00:00Z");
    private final FakeJobs jobs = new FakeJobs("fal-ai/trellis", CREATED, CREATED.plusSeconds(3600));
    private final ResultRecorder results = mock(ResultRecorder.class);
    private final JobFinisher finisher = new JobFinisher(jobs.repository, results,
            mock(OutputCollector.class), mock(BlobStore.class), Clock.fixed(CREATED.plusSeconds(60), ZoneOffset.UTC));

    @Test
    void aFailedCopyFailsTheJobAndKeepsTheRawResult() {
        jobs.job.recordResult("OK", "results/" + FakeJobs.JOB_ID + "/fal.json", "webhook", CREATED);
        finisher.failCopy(jobs.job, "copying model_mesh failed: fal's CDN answered 404");
        assertThat(jobs.job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(jobs.job.error().code()).isEqualTo("output_copy_failed");
        assertThat(jobs.job.error().message()).contains("404");
        assertThat(jobs.job.resultKey()).isEqualTo("results/" + FakeJobs.JOB_ID + "/fal.json");
        assertThat(JobFinisher.needsFinishing(jobs.job)).isFalse();
    }

    @Test
    void outputsCopiedForAJobDeletedMeanwhileAreRemovedAgain() {
        JobRepository repository = mock(JobRepository.class);
        ResultRecorder results = mock(ResultRecorder.class);
        OutputCollector outputs = mock(OutputCollector.class);
        BlobStore blobs = mock(BlobStore.class);
        jobs.job.recordResult("OK", "results/x/fal.json", "webhook", CREATED);
        jobs.job.moveTo(JobStatus.CANCELED, "cancel", CREATED);
        when(results.load(jobs.job)).thenReturn(Json.parse("{\"status\":\"OK\",\"payload\":{}}"));
        JobFile copied = new JobFile("model_mesh", "outputs/acme/" + FakeJobs.JOB_ID + "/model_mesh.glb",
                "model/gltf-binary", 10, null, null);
        when(outputs.collectUnder(any(), any())).thenReturn(new OutputCollector.Collected(Json.object(), List.of(copied)));
        when(repository.update(any(), any())).thenReturn(Optional.empty()); // DELETE /v1/jobs/{id} won
        new JobFinisher(repository, results, outputs, blobs, Clock.systemUTC()).finish(jobs.job);
        verify(blobs).delete(copied.key());
    }

    @Test
    void aCanceledJobStaysCanceled() {
        jobs.job.recordResult("OK", "results/x/fal.json", "webhook", CREATED);
        jobs.job.moveTo(JobStatus.CANCELED, "cancel", CREATED);
        finisher.failCopy(jobs.job, "copying failed");
        assertThat(jobs.job.status()).isEqualTo(JobStatus.CANCELED);
    }

    @Test
    void s3FailingToReturnTheRawResultIsATransientFinishError() {
        jobs.job.recordResult("OK", "results/x/fal.json", "webhook", CREATED);
        when(results.load(jobs.job)).thenThrow(S3Exception.builder().statusCode(503).message("Slow Down").build());
        OutputCollector.OutputCopyException e = catchThrowableOfType(() -> finisher.finish(jobs.job),
                OutputCollector.OutputCopyException.class);
        assertThat(e.permanent()).isFalse();
        assertThat(jobs.job.status()).isEqualTo(JobStatus.QUEUED);
    }
}
