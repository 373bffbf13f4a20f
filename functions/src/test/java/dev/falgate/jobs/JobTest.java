package dev.falgate.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falgate.http.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class JobTest {
    private static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");

    private static Job job() {
        return Job.create("job_01JDQ7V3K8Y9ZC2M4N6P8R0T2W", "acme", "fal-ai/trellis", Json.object(), null, T0, T0.plusSeconds(60), T0.plusSeconds(180));
    }

    @Test
    void movesOnlyForward() {
        Job j = job();
        assertThat(j.moveTo(JobStatus.RUNNING, "poller", T0)).isTrue();
        assertThat(j.moveTo(JobStatus.QUEUED, "poller", T0)).isFalse();
        assertThat(j.moveTo(JobStatus.SUCCEEDED, "webhook", T0.plusSeconds(5))).isTrue();
        assertThat(j.moveTo(JobStatus.FAILED, "poller", T0.plusSeconds(6))).isFalse();
        assertThat(j.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(j.completedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(j.events()).extracting(JobEvent::status)
                .containsExactly(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.SUCCEEDED);
    }

    @Test
    void aTerminalJobHasExactlyOneTerminalEvent() {
        Job j = job();
        j.fail("timeout", "too slow", "poller", T0);
        j.moveTo(JobStatus.CANCELED, "cancel", T0);
        j.fail("model_error", "late", "webhook", T0);
        assertThat(j.events().stream().filter(e -> e.status().terminal())).hasSize(1);
        assertThat(j.error().code()).isEqualTo("timeout");
    }

    @Test
    void survivesTheItemRoundTrip() {
        Job j = job();
        j.setWebhookUrl("https://example.test/v1/webhooks/fal/x");
        j.submitted("req-1", "s", "r", "c", T0);
        j.outputsCopied(Json.object().put("seed", 1),
                java.util.List.of(new JobFile("images[0]", "outputs/acme/x/images[0].png", "image/png", 42, 8, 8)), T0);
        Job back = JobItems.fromItem(JobItems.toItem(j, 86400));
        assertThat(back.falRequestId()).isEqualTo("req-1");
        assertThat(back.files()).isEqualTo(j.files());
        assertThat(back.output()).isEqualTo(j.output());
        assertThat(back.events()).isEqualTo(j.events());
        assertThat(back.webhookUrl()).isEqualTo(j.webhookUrl());
    }

    @Test
    void idsAreUlidsThatSortByTime() {
        Ids early = new Ids(Clock.fixed(T0, ZoneOffset.UTC));
        Ids late = new Ids(Clock.fixed(T0.plusMillis(1), ZoneOffset.UTC));
        String a = early.job();
        String b = late.job();
        assertThat(Ids.isJobId(a)).isTrue();
        assertThat(Ids.isUploadId(early.upload())).isTrue();
        assertThat(a.compareTo(b)).isNegative();
    }

    @Test
    void aTransitionPutsOnlyTheSubscribedEventsInTheOutboxAndAnyEndIsCompletedOnce() {
        Job j = job();
        j.subscribe(new WebhookSubscription("https://hooks.example/x", java.util.Set.of("completed")));
        assertThat(j.webhookOutbox()).isEmpty();
        j.moveTo(JobStatus.RUNNING, "poller", T0);
        assertThat(j.webhookOutbox()).isEmpty();
        j.moveTo(JobStatus.CANCELED, "cancel", T0);
        j.fail("timeout", "late", "poller", T0);
        assertThat(j.webhookOutbox()).containsExactly("completed");
        assertThat(j.lastWebhookEvent()).isEqualTo("completed");

        Job all = job();
        all.subscribe(new WebhookSubscription("https://hooks.example/x", java.util.Set.copyOf(WebhookSubscription.EVENTS)));
        all.moveTo(JobStatus.RUNNING, "poller", T0);
        all.fail("model_error", "no", "webhook", T0);
        assertThat(all.webhookOutbox()).containsExactly("queued", "running", "completed");
    }

    @Test
    void theJobShowsOnlyTheNewestDeliveries() {
        Job j = job();
        for (int attempt = 1; attempt <= Job.MAX_DELIVERIES_SHOWN + 5; attempt++) {
            j.recordDelivery(new WebhookDelivery("completed", attempt, 500, T0, "msg_1"));
        }
        assertThat(j.webhookDeliveries()).hasSize(Job.MAX_DELIVERIES_SHOWN);
        assertThat(j.webhookDeliveries().get(0).attempt()).isEqualTo(6);
    }
}
