package dev.falgate.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
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
    private final ResultRecorder results = mock(ResultRecorder.class);
    private final PollScheduler polls = mock(PollScheduler.class);
    private final FakeJobs jobs = new FakeJobs("tripo3d/tripo/v2.5/image-to-3d", T0, T0.plusSeconds(3600));
    private final CallbackService service = new CallbackService(verifier, jobs.repository, results, polls,
            URI.create("https://queue.fal.run"), Clock.systemUTC());

    private static ApiRequest webhook(String requestId, String status, String payload) {
        APIGatewayV2HTTPEvent e = new APIGatewayV2HTTPEvent();
        e.setHeaders(Map.of("content-type", "application/json"));
        e.setBody("{\"request_id\":\"" + requestId + "\",\"status\":\"" + status + "\",\"payload\":" + payload + "}");
        return new ApiRequest(e);
    }

    @Test
    void aWebhookThatBeatsSubmitsOwnWriteBindsTheRequestAndIsRecorded() {
        when(verifier.verify(any(), any())).thenReturn(Optional.of("req-9"));
        service.handle(FakeJobs.JOB_ID, webhook("req-9", "OK", "{\"model_mesh\":{\"url\":\"https://v3.fal.media/x.glb\"}}"));
        assertThat(jobs.job.falRequestId()).isEqualTo("req-9");
        assertThat(jobs.job.falStatusUrl()).isEqualTo("https://queue.fal.run/tripo3d/tripo/requests/req-9/status");
        verify(results).record(eq(FakeJobs.JOB_ID), eq(true), any(), eq(null), eq("webhook"));
        verify(polls).finishNow(FakeJobs.JOB_ID);
    }

    @Test
    void aWebhookForAnotherRequestIsRefusedAndWritesNothing() {
        jobs.job.submitted("req-1", "s", "r", "c", T0);
        when(verifier.verify(any(), any())).thenReturn(Optional.of("req-2"));
        int writes = jobs.writes;
        assertThatThrownBy(() -> service.handle(FakeJobs.JOB_ID, webhook("req-2", "OK", "{}")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThat(jobs.writes).isEqualTo(writes);
        verify(results, never()).record(any(), any(Boolean.class), any(), any(), any());
    }

    @Test
    void aBodyWhoseRequestIdDiffersFromTheSignedHeaderIsRefused() {
        when(verifier.verify(any(), any())).thenReturn(Optional.of("req-1"));
        assertThatThrownBy(() -> service.handle(FakeJobs.JOB_ID, webhook("req-other", "OK", "{}")))
                .isInstanceOf(ApiException.class);
    }

    @Test
    void aPayloadErrorSendsThePollerToReadTheResult() {
        jobs.job.submitted("req-1", "s", "r", "c", T0);
        when(verifier.verify(any(), any())).thenReturn(Optional.of("req-1"));
        service.handle(FakeJobs.JOB_ID, webhook("req-1", "OK", "null"));
        verify(polls).pollNow(FakeJobs.JOB_ID);
        verify(results, never()).record(any(), any(Boolean.class), any(), any(), any());
    }

    @Test
    void aDuplicateDeliveryIsAcknowledgedWithoutRecordingAgain() {
        jobs.job.submitted("req-1", "s", "r", "c", T0);
        jobs.job.recordResult("OK", "results/x/fal.json", "webhook", T0);
        when(verifier.verify(any(), any())).thenReturn(Optional.of("req-1"));
        service.handle(FakeJobs.JOB_ID, webhook("req-1", "OK", "{}"));
        verify(results, never()).record(any(), any(Boolean.class), any(), any(), any());
        verify(polls, never()).finishNow(any());
    }
}
