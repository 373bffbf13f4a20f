package dev.falgate.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.falgate.catalog.Catalog;
import dev.falgate.fal.FalClient;
import dev.falgate.fal.FalException;
import dev.falgate.jobs.FakeJobs;
import dev.falgate.jobs.Job;
import dev.falgate.jobs.JobStatus;
import dev.falgate.uploads.Upload;
import dev.falgate.uploads.UploadRepository;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How a submit to fal ends, for each way fal can answer. */
class FalSubmitterTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private final FalClient fal = mock(FalClient.class);
    private final FakeJobs jobs = new FakeJobs("fal-ai/trellis", NOW, NOW.plusSeconds(3600));
    private SubmitService.FalSubmitter submitter;

    @BeforeEach
    void wire() {
        UploadRepository uploads = mock(UploadRepository.class);
        when(uploads.find(anyString())).thenReturn(Optional.of(new Upload("upl_01JDQ7V3K8Y9ZC2M4N6P8R0T2W", "acme",
                "uploads/acme/x.png", "image/png", 10, null, NOW, NOW.plusSeconds(86400))));
        submitter = new SubmitService.FalSubmitter(fal, jobs.repository,
                (upload, validity) -> "https://bucket.example.test/in.png?sig", Catalog.standard(), uploads,
                Optional.empty(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void anAcceptedSubmitRecordsFalsRequestAndItsUrls() {
        when(fal.submit(eq("fal-ai/trellis"), any(), eq(jobs.job.webhookUrl())))
                .thenReturn(new FalClient.Submitted("req-1", "s", "r", "c"));
        Job after = submitter.submit(jobs.job, "submit");
        assertThat(after.submitState()).isEqualTo(Job.SubmitState.SUBMITTED);
        assertThat(after.falRequestId()).isEqualTo("req-1");
        assertThat(after.falCancelUrl()).isEqualTo("c");
    }

    @Test
    void falsInputNamesPresignedUrlsNotOurRefs() {
        when(fal.submit(anyString(), any(), anyString())).thenAnswer(i -> {
            assertThat(i.getArgument(1).toString()).contains("https://bucket.example.test/in.png?sig")
                    .doesNotContain("upload://");
            return new FalClient.Submitted("req-1", "s", "r", "c");
        });
        submitter.submit(jobs.job, "submit");
        assertThat(jobs.job.input().get("image_url").asText()).startsWith("upload://");
    }

    @Test
    void a5xxOr429LeavesTheJobQueuedForARetry() {
        when(fal.submit(anyString(), any(), anyString()))
                .thenThrow(new FalException(FalException.Kind.UNAVAILABLE, 503, "busy", "fal answered 503", null));
        Job after = submitter.submit(jobs.job, "submit");
        assertThat(after.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(after.submitState()).isEqualTo(Job.SubmitState.RETRY);
    }

    @Test
    void a422FailsTheJobAsUpstreamValidation() {
        when(fal.submit(anyString(), any(), anyString())).thenThrow(new FalException(FalException.Kind.REJECTED, 422,
                "{\"detail\":[{\"loc\":[\"body\",\"image_url\"],\"msg\":\"bad\"}]}", "fal answered 422", null));
        Job after = submitter.submit(jobs.job, "submit");
        assertThat(after.status()).isEqualTo(JobStatus.FAILED);
        assertThat(after.error().code()).isEqualTo("upstream_validation");
        assertThat(after.error().message()).contains("image_url");
    }

    @Test
    void aTimeoutMarksTheSubmitUncertainInsteadOfRetryingBlindly() {
        when(fal.submit(anyString(), any(), anyString()))
                .thenThrow(new FalException(FalException.Kind.TIMEOUT, 0, null, "no answer", null));
        Job after = submitter.submit(jobs.job, "submit");
        assertThat(after.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(after.submitState()).isEqualTo(Job.SubmitState.UNCERTAIN);
    }

    @Test
    void aFailureToHandInputsToFalIsRetriedLikeAnyFal5xx() {
        SubmitService.FalSubmitter viaStorage = new SubmitService.FalSubmitter(fal, jobs.repository, (u, v) -> {
            throw new FalException(FalException.Kind.UNAVAILABLE, 503, null, "storage down", null);
        }, Catalog.standard(), uploadsWithOne(), Optional.empty(), Clock.fixed(NOW, ZoneOffset.UTC));
        Job after = viaStorage.submit(jobs.job, "submit");
        assertThat(after.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(after.submitState()).isEqualTo(Job.SubmitState.RETRY);
    }

    private static UploadRepository uploadsWithOne() {
        UploadRepository uploads = mock(UploadRepository.class);
        when(uploads.find(anyString())).thenReturn(Optional.of(new Upload("upl_01JDQ7V3K8Y9ZC2M4N6P8R0T2W", "acme",
                "uploads/acme/x.png", "image/png", 10, null, NOW, NOW.plusSeconds(86400))));
        return uploads;
    }

    @Test
    void withWebhooksOffFalGetsNoWebhookUrl() {
        SubmitService.FalSubmitter noHooks = new SubmitService.FalSubmitter(fal, jobs.repository, (u, v) -> "x",
                Catalog.standard(), mock(UploadRepository.class), Optional.of(SubmitService.FalSubmitter.NO_WEBHOOK),
                Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(noHooks.webhookUrl(jobs.job.id(), "https://api.example.test")).isNull();
        assertThat(submitter.webhookUrl(jobs.job.id(), "https://api.example.test"))
                .isEqualTo("https://api.example.test/v1/webhooks/fal/" + jobs.job.id());
    }

    @Test
    void aRequestIdAWebhookAlreadyBoundIsKept() {
        jobs.job.bindRequest("req-from-webhook", "s0", "r0", "c0", NOW);
        when(fal.submit(anyString(), any(), anyString())).thenReturn(new FalClient.Submitted("req-other", "s", "r", "c"));
        assertThat(submitter.submit(jobs.job, "submit").falRequestId()).isEqualTo("req-from-webhook");
    }
}
