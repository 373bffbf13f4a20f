package dev.falgate.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.falgate.config.SecretSource;
import dev.falgate.fal.WebhookTokens;
import dev.falgate.fal.WebhookVerifier;
import dev.falgate.http.ApiException;
import dev.falgate.http.ApiRequest;
import dev.falgate.jobs.FakeJobs;
import dev.falgate.jobs.ResultRecorder;
import dev.falgate.poller.PollScheduler;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The webhook's decisions once the signature is known good (the verifier has its own tests). */
class CallbackServiceTest {
    private static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");
    private final WebhookVerifier verifier = mock(WebhookVerifier.class);
    private final PollScheduler polls = mock(PollScheduler.class);
    private final FakeJobs jobs = new FakeJobs("tripo3d/tripo/v2.5/image-to-3d", T0, T0.plusSeconds(3600));
    private final ResultRecorder results = new ResultRecorder(jobs.repository, mock(dev.falgate.storage.BlobStore.class),
            Clock.systemUTC());
    private static final WebhookTokens TOKENS = new WebhookTokens(SecretSource.of("test-webhook-secret"));
    private static final String OUR_ACCOUNT = "fal-user-ours";
    private final CallbackService service = new CallbackService(TOKENS, Optional.of(OUR_ACCOUNT), verifier,
            jobs.repository, results, polls, URI.create("https://queue.fal.run"), Clock.systemUTC());

    private static ApiRequest webhook(String requestId, String status, String payload) {
        return webhook(requestId, status, payload, TOKENS.tokenFor(FakeJobs.JOB_ID));
    }

    private static ApiRequest webhook(String requestId, String status, String payload, String token) {
        APIGatewayV2HTTPEvent e = new APIGatewayV2HTTPEvent();
        if (token != null) {
            e.setQueryStringParameters(Map.of("token", token));
        }
        e.setHeaders(Map.of("content-type", "application/json"));
        e.setBody("{\"request_id\":\"" + requestId + "\",\"status\":\"" + status + "\",\"payload\":" + payload + "}");
        return new ApiRequest(e);
    }

    private static Optional<WebhookVerifier.Verified> signed(String requestId) {
        return Optional.of(new WebhookVerifier.Verified(requestId, OUR_ACCOUNT));
    }

    private void assertRefusedWithNoEffect(ApiRequest request, String code) {
        int writes = jobs.writes;
        assertThatThrownBy(() -> service.handle(FakeJobs.JOB_ID, request))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.code()).isEqualTo(code);
                });
        assertThat(jobs.writes).isEqualTo(writes);
        assertThat(jobs.job.falRequestId()).isNull();
        assertThat(jobs.job.hasResult()).isFalse();
    }

    @Test
    void withoutTheJobsTokenNothingElseIsEvenLookedAt() {
        when(verifier.verify(any(), any())).thenReturn(signed("req-9"));
        assertRefusedWithNoEffect(webhook("req-9", "OK", "{}", null), "invalid_webhook_token");
        assertRefusedWithNoEffect(webhook("req-9", "OK", "{}", "x" + TOKENS.tokenFor(FakeJobs.JOB_ID)), "invalid_webhook_token");
        assertRefusedWithNoEffect(webhook("req-9", "OK", "{}", TOKENS.tokenFor("job_01JDQ7V3K8Y9ZC2M4N6P8R0T2X")),
                "invalid_webhook_token");
        verifyNoInteractions(verifier);
    }

    @Test
    void aGenuineSignatureFromAnotherFalAccountIsRefusedEvenWithTheToken() {
        when(verifier.verify(any(), any())).thenReturn(Optional.of(new WebhookVerifier.Verified("req-9", "fal-user-other")));
        assertRefusedWithNoEffect(webhook("req-9", "OK", "{}"), "foreign_account");
    }

    @Test
    void withoutAConfiguredAccountTheTokenAloneBindsTheWebhook() {
        CallbackService anyAccount = new CallbackService(TOKENS, Optional.empty(), verifier, jobs.repository, results,
                polls, URI.create("https://queue.fal.run"), Clock.systemUTC());
        when(verifier.verify(any(), any())).thenReturn(Optional.of(new WebhookVerifier.Verified("req-9", "fal-user-other")));
        anyAccount.handle(FakeJobs.JOB_ID, webhook("req-9", "OK", "{}"));
        assertThat(jobs.job.falRequestId()).isEqualTo("req-9");
    }

    @Test
    void aWebhookThatBeatsSubmitsOwnWriteBindsTheRequestAndIsRecorded() {
        when(verifier.verify(any(), any())).thenReturn(signed("req-9"));
        service.handle(FakeJobs.JOB_ID, webhook("req-9", "OK", "{\"model_mesh\":{\"url\":\"https://v3.fal.media/x.glb\"}}"));
        assertThat(jobs.job.falRequestId()).isEqualTo("req-9");
        assertThat(jobs.job.falStatusUrl()).isEqualTo("https://queue.fal.run/tripo3d/tripo/requests/req-9/status");
        assertThat(jobs.job.resultStatus()).isEqualTo("OK");
        assertThat(jobs.job.resultSource()).isEqualTo("webhook");
        assertThat(jobs.job.resultInline()).contains("x.glb");
        verify(polls).finishNow(FakeJobs.JOB_ID);
    }

    @Test
    void aWebhookForAnotherRequestIsRefusedAndWritesNothing() {
        jobs.job.submitted("req-1", "s", "r", "c", T0);
        when(verifier.verify(any(), any())).thenReturn(signed("req-2"));
        int writes = jobs.writes;
        assertThatThrownBy(() -> service.handle(FakeJobs.JOB_ID, webhook("req-2", "OK", "{}")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThat(jobs.writes).isEqualTo(writes);
        assertThat(jobs.job.hasResult()).isFalse();
    }

    @Test
    void aBodyWhoseRequestIdDiffersFromTheSignedHeaderIsRefused() {
        when(verifier.verify(any(), any())).thenReturn(signed("req-1"));
        assertThatThrownBy(() -> service.handle(FakeJobs.JOB_ID, webhook("req-other", "OK", "{}")))
                .isInstanceOf(ApiException.class);
    }

    @Test
    void aPayloadErrorSendsThePollerToReadTheResult() {
        jobs.job.submitted("req-1", "s", "r", "c", T0);
        when(verifier.verify(any(), any())).thenReturn(signed("req-1"));
        service.handle(FakeJobs.JOB_ID, webhook("req-1", "OK", "null"));
        verify(polls).pollNow(FakeJobs.JOB_ID);
        assertThat(jobs.job.hasResult()).isFalse();
    }

    @Test
    void aDuplicateDeliveryIsAcknowledgedWithoutRecordingAgain() {
        jobs.job.submitted("req-1", "s", "r", "c", T0);
        jobs.job.recordResult("OK", "results/x/fal.json", "webhook", T0);
        when(verifier.verify(any(), any())).thenReturn(signed("req-1"));
        int writes = jobs.writes;
        service.handle(FakeJobs.JOB_ID, webhook("req-1", "OK", "{}"));
        assertThat(jobs.writes).isEqualTo(writes);
        assertThat(jobs.job.resultKey()).isEqualTo("results/x/fal.json");
        verify(polls, never()).finishNow(any());
    }
}
