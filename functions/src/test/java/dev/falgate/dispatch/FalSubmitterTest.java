package dev.falgate.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.falgate.catalog.Catalog;
import dev.falgate.config.SecretSource;
import dev.falgate.fal.FalClient;
import dev.falgate.fal.FalException;
import dev.falgate.fal.InputHandoff;
import dev.falgate.fal.WebhookTokens;
import dev.falgate.jobs.FakeJobs;
import dev.falgate.jobs.Job;
import dev.falgate.jobs.JobStatus;
import dev.falgate.uploads.Upload;
import dev.falgate.uploads.UploadRepository;
import java.net.ConnectException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a send to fal ends, for each way fal can answer, and who may send at all. */
class FalSubmitterTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final WebhookTokens TOKENS = new WebhookTokens(SecretSource.of("test-webhook-secret"));
    private final FalClient fal = mock(FalClient.class);
    private final FakeJobs jobs = new FakeJobs("fal-ai/trellis", NOW, NOW.plusSeconds(3600));
    private final FalSubmitter submitter = submitter((upload, validity) -> "https://bucket.example.test/in.png?sig",
            Optional.empty());

    private FalSubmitter submitter(InputHandoff inputs, Optional<String> webhookBase) {
        return new FalSubmitter(fal, jobs.repository, inputs, Catalog.standard(), uploadsWithOne(), webhookBase,
                TOKENS, URI.create("https://queue.fal.run"), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static UploadRepository uploadsWithOne() {
        UploadRepository uploads = mock(UploadRepository.class);
        when(uploads.find(anyString())).thenReturn(Optional.of(new Upload("upl_01JDQ7V3K8Y9ZC2M4N6P8R0T2W", "acme",
                "uploads/acme/x.png", "image/png", 10, null, NOW, NOW.plusSeconds(86400))));
        return uploads;
    }

    private void falAnswers(FalException e) {
        when(fal.submit(anyString(), any(), any())).thenThrow(e);
    }

    private static FalException status(int code) {
        FalException.Kind kind = code == 422 ? FalException.Kind.REJECTED
                : code == 429 || code >= 500 ? FalException.Kind.UNAVAILABLE : FalException.Kind.OTHER;
        return new FalException(kind, code, "{\"detail\":\"x\"}", "fal answered " + code, null);
    }

    @Test
    void anAcceptedSubmitRecordsFalsRequestAndItsUrls() {
        when(fal.submit(eq("fal-ai/trellis"), any(), any())).thenReturn(new FalClient.Submitted("req-1", "s", "r", "c"));
        Job after = submitter.dispatch(jobs.job, "submit");
        assertThat(after.submitState()).isEqualTo(Job.SubmitState.SUBMITTED);
        assertThat(after.falRequestId()).isEqualTo("req-1");
        assertThat(after.falCancelUrl()).isEqualTo("c");
        assertThat(after.submitAttempts()).isEqualTo(1);
        assertThat(after.sweepAt()).as("a claimed job leaves the sweep index").isNull();
    }

    @Test
    void aJobWithoutAPollMessageStaysInTheSweepIndexUntilItEndsDueWhenItsWebhookIsOverdue() {
        FalSubmitter.SweepTimes sweep = new FalSubmitter.SweepTimes(NOW.plusSeconds(60), NOW.plusSeconds(120));
        when(fal.submit(anyString(), any(), any())).thenAnswer(i -> {
            assertThat(jobs.job.sweepAt()).as("while its sender talks to fal").isEqualTo(sweep.afterClaim());
            return new FalClient.Submitted("req-1", "s", "r", "c");
        });
        Job after = submitter.dispatchKeepingSweep(jobs.job, "submit", sweep);
        assertThat(after.submitState()).isEqualTo(Job.SubmitState.SUBMITTED);
        assertThat(after.sweepAt()).as("fal has it: the sweeper polls it if no webhook ends it by then")
                .isEqualTo(sweep.afterSend());
        after.moveTo(JobStatus.SUCCEEDED, "webhook", NOW);
        assertThat(after.sweepAt()).as("its end takes it out").isNull();
    }

    @Test
    void aCanceledJobWithoutAPollMessageStaysSweptUntilFalsOutputsAreIn() {
        FalSubmitter.SweepTimes sweep = new FalSubmitter.SweepTimes(NOW.plusSeconds(60), NOW.plusSeconds(120));
        when(fal.submit(anyString(), any(), any())).thenReturn(new FalClient.Submitted("req-1", "s", "r", "c"));
        Job after = submitter.dispatchKeepingSweep(jobs.job, "submit", sweep);
        after.moveTo(JobStatus.CANCELED, "cancel", NOW);
        assertThat(after.sweepAt()).as("fal may complete it anyway: the sweeper's poll brings its outputs")
                .isEqualTo(sweep.afterSend());
        after.outputsCopied(null, java.util.List.of(), NOW);
        assertThat(after.sweepAt()).as("its outputs are in").isNull();
    }

    @Test
    void aRefusedSendWithoutAPollMessageKeepsTheSweeperAsItsSafetyNet() {
        falAnswers(status(503));
        FalSubmitter.SweepTimes sweep = new FalSubmitter.SweepTimes(NOW.plusSeconds(60), NOW.plusSeconds(120));
        Job after = submitter.dispatchKeepingSweep(jobs.job, "submit", sweep);
        assertThat(after.submitState()).isEqualTo(Job.SubmitState.RETRY);
        assertThat(after.sweepAt()).isEqualTo(sweep.afterSend());
    }

    @Test
    void aJobThatEndsLeavesTheSweepIndex() {
        assertThat(jobs.job.sweepAt()).isNotNull();
        jobs.job.fail("timeout", "x", "poller", NOW);
        assertThat(jobs.job.sweepAt()).isNull();
    }

    @Test
    void theWebhookUrlFalGetsCarriesTheJobsTokenButTheStoredOneDoesNot() {
        when(fal.submit(anyString(), any(), any())).thenReturn(new FalClient.Submitted("req-1", "s", "r", "c"));
        submitter.dispatch(jobs.job, "submit");
        verify(fal).submit(anyString(), any(), eq(jobs.job.webhookUrl() + "?token=" + TOKENS.tokenFor(FakeJobs.JOB_ID)));
        assertThat(jobs.job.webhookUrl()).doesNotContain("token");
    }

    @Test
    void missingUrlsInFalsAnswerAreDerivedAsFalDoes() {
        when(fal.submit(anyString(), any(), any())).thenReturn(new FalClient.Submitted("req-1", "", "", ""));
        Job after = submitter.dispatch(jobs.job, "submit");
        assertThat(after.falStatusUrl()).isEqualTo("https://queue.fal.run/fal-ai/trellis/requests/req-1/status");
        assertThat(after.falCancelUrl()).isEqualTo("https://queue.fal.run/fal-ai/trellis/requests/req-1/cancel");
    }

    @Test
    void falsInputNamesPresignedUrlsNotOurRefs() {
        when(fal.submit(anyString(), any(), any())).thenAnswer(i -> {
            assertThat(i.getArgument(1).toString()).contains("https://bucket.example.test/in.png?sig")
                    .doesNotContain("upload://");
            return new FalClient.Submitted("req-1", "s", "r", "c");
        });
        submitter.dispatch(jobs.job, "submit");
        assertThat(jobs.job.input().get("image_url").asText()).startsWith("upload://");
    }

    /** 429 and 503 mean fal took nothing; a 500, 502 or 504 may come after fal queued the request. */
    @ParameterizedTest
    @CsvSource({"429, RETRY", "503, RETRY", "500, UNCERTAIN", "502, UNCERTAIN", "504, UNCERTAIN"})
    void onlyAnAnswerThatFalTookNothingLetsTheJobBeSentAgain(int code, Job.SubmitState expected) {
        falAnswers(status(code));
        Job after = submitter.dispatch(jobs.job, "submit");
        assertThat(after.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(after.submitState()).isEqualTo(expected);
        assertThat(after.mayBeSent()).isEqualTo(expected == Job.SubmitState.RETRY);
    }

    @Test
    void aRefusedConnectionMayBeSentAgain() {
        falAnswers(FalException.neverConnected("refused", new ConnectException("Connection refused")));
        assertThat(submitter.dispatch(jobs.job, "submit").submitState()).isEqualTo(Job.SubmitState.RETRY);
    }

    @Test
    void aLostAnswerOrAResetConnectionIsUncertain() {
        falAnswers(new FalException(FalException.Kind.TIMEOUT, 0, null, "no answer", null));
        assertThat(submitter.dispatch(jobs.job, "submit").submitState()).isEqualTo(Job.SubmitState.UNCERTAIN);
    }

    @Test
    void aResetAfterTheRequestWentOutIsUncertain() {
        falAnswers(new FalException(FalException.Kind.UNAVAILABLE, 0, null, "connection reset", null));
        assertThat(submitter.dispatch(jobs.job, "submit").submitState()).isEqualTo(Job.SubmitState.UNCERTAIN);
    }

    @Test
    void a422FailsTheJobAsUpstreamValidation() {
        falAnswers(new FalException(FalException.Kind.REJECTED, 422,
                "{\"detail\":[{\"loc\":[\"body\",\"image_url\"],\"msg\":\"bad\"}]}", "fal answered 422", null));
        Job after = submitter.dispatch(jobs.job, "submit");
        assertThat(after.status()).isEqualTo(JobStatus.FAILED);
        assertThat(after.error().code()).isEqualTo("upstream_validation");
        assertThat(after.error().message()).contains("image_url");
    }

    @Test
    void aFailureToHandInputsToFalIsCertainlyNotASubmitAndMayBeRetried() {
        FalSubmitter viaStorage = submitter((u, v) -> {
            throw new FalException(FalException.Kind.UNAVAILABLE, 500, null, "storage down", null);
        }, Optional.empty());
        Job after = viaStorage.dispatch(jobs.job, "submit");
        assertThat(after.submitState()).isEqualTo(Job.SubmitState.RETRY);
        verify(fal, never()).submit(anyString(), any(), any());
    }

    @Test
    void aJobAnotherSenderClaimedIsNotSentAgain() {
        when(fal.submit(anyString(), any(), any())).thenReturn(new FalClient.Submitted("req-1", "s", "r", "c"));
        jobs.job.claimSubmit(NOW);
        Job after = submitter.dispatch(jobs.job, "poller");
        assertThat(after.submitState()).isEqualTo(Job.SubmitState.SUBMITTING);
        verify(fal, never()).submit(anyString(), any(), any());
    }

    @Test
    void anUncertainOrSubmittedJobIsNeverSentAgain() {
        jobs.job.setSubmitState(Job.SubmitState.UNCERTAIN, NOW);
        submitter.dispatch(jobs.job, "poller");
        jobs.job.submitted("req-1", "s", "r", "c", NOW);
        submitter.dispatch(jobs.job, "poller");
        verify(fal, never()).submit(anyString(), any(), any());
    }

    @Test
    void aRequestThatLostTheRaceToAWebhookIsCancelledAtFal() {
        when(fal.submit(anyString(), any(), any())).thenAnswer(i -> {
            // fal's webhook for an earlier request arrived while this submit was in flight
            jobs.job.bindRequest("req-from-webhook", "s0", "r0", "c0", NOW);
            return new FalClient.Submitted("req-other", "s", "r", "c-other");
        });
        assertThat(submitter.dispatch(jobs.job, "submit").falRequestId()).isEqualTo("req-from-webhook");
        verify(fal).cancel("c-other");
        verify(fal, never()).cancel("c0");
    }

    @Test
    void aJobCanceledWhileItsSubmitWasInFlightIsCancelledAtFal() {
        when(fal.submit(anyString(), any(), any())).thenAnswer(i -> {
            jobs.job.moveTo(JobStatus.CANCELED, "cancel", NOW);
            return new FalClient.Submitted("req-1", "s", "r", "c");
        });
        Job after = submitter.dispatch(jobs.job, "submit");
        assertThat(after.status()).isEqualTo(JobStatus.CANCELED);
        assertThat(after.falRequestId()).as("kept, so the poller can still collect what fal made").isEqualTo("req-1");
        verify(fal, times(1)).cancel("c");
    }

    @Test
    void withWebhooksOffFalGetsNoWebhookUrl() {
        FalSubmitter noHooks = submitter((u, v) -> "x", Optional.of(FalSubmitter.NO_WEBHOOK));
        assertThat(noHooks.webhookUrl(jobs.job.id(), "https://api.example.test")).isNull();
        assertThat(submitter.webhookUrl(jobs.job.id(), "https://api.example.test"))
                .isEqualTo("https://api.example.test/v1/webhooks/fal/" + jobs.job.id());
    }
}
