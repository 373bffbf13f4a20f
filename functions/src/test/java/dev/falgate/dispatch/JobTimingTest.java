package dev.falgate.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falgate.catalog.Category;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobTimingTest {
    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void aJobFalHasNotTakenIsSweptAfterAMinuteButNeverSoonerThanOurOwnStepsTake() {
        assertThat(new JobTiming(1).sweepAt(T0)).isEqualTo(T0.plusSeconds(60));
        assertThat(new JobTiming(2).sweepAt(T0)).isEqualTo(T0.plusSeconds(30));
        assertThat(new JobTiming(200).sweepAt(T0)).as("time scaled down: the floor").isEqualTo(T0.plusSeconds(20));
        assertThat(new JobTiming(40).sweepAt(T0, T0.plusSeconds(15))).as("half the time to the deadline left for polling")
                .isEqualTo(T0.plusMillis(7500));
        assertThat(new JobTiming(40).sweepAt(T0, T0.plusSeconds(90))).isEqualTo(T0.plusSeconds(20));
    }

    @Test
    void aJobWaitingForItsWebhookIsSweptAfterItsTypicalTimeAndAGrace() {
        assertThat(new JobTiming(1).sweepAwaitingWebhook(Category.IMAGE_EDITING, T0)).as("10 s typical + 30 s")
                .isEqualTo(T0.plusSeconds(40));
        assertThat(new JobTiming(1).sweepAwaitingWebhook(Category.IMAGE_TO_3D, T0)).isEqualTo(T0.plusSeconds(120));
        assertThat(new JobTiming(40).sweepAwaitingWebhook(Category.IMAGE_EDITING, T0))
                .as("scaled, but the webhook's trip and our callback are not: a 4 s grace at least")
                .isEqualTo(T0.plusMillis(250 + 4000));
        assertThat(new JobTiming(4).sweepAwaitingWebhook(Category.IMAGE_EDITING, T0)).isEqualTo(T0.plusMillis(2500 + 7500));
    }

    @Test
    void onlyImageCategoriesAreQuick() {
        assertThat(JobTiming.isQuick(Category.IMAGE_EDITING)).isTrue();
        assertThat(JobTiming.isQuick(Category.SEGMENTATION)).isTrue();
        assertThat(JobTiming.isQuick(Category.IMAGE_TO_3D)).isFalse();
        assertThat(JobTiming.isQuick(Category.MULTIVIEW_GENERATION)).isFalse();
    }
}
