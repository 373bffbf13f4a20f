package dev.falgate.emulator.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falgate.catalog.Category;
import dev.falgate.emulator.FalEmulatorConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimingAndIdsTest {

    @Test
    void threeDimensionalJobsTakeOneToThreeSecondsAtTheDefaultSpeed() {
        for (Category category : new Category[] {Category.IMAGE_TO_3D, Category.MULTIVIEW_TO_3D}) {
            Duration total = Timing.queueWait(category, FalEmulatorConfig.DEFAULT_SPEED)
                    .plus(Timing.runTime(category, FalEmulatorConfig.DEFAULT_SPEED));
            assertThat(total).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(3));
        }
        assertThat(Timing.runTime(Category.IMAGE_EDITING, 1))
                .isGreaterThan(Timing.queueWait(Category.IMAGE_EDITING, 1));
    }

    @Test
    void queueUrlsUseOwnerAndAppOnly() {
        assertThat(EndpointId.parse("tripo3d/tripo/v2.5/image-to-3d").appPath())
                .isEqualTo("tripo3d/tripo");
        assertThat(EndpointId.parse("fal-ai/image-preprocessors/sam").appPath())
                .isEqualTo("fal-ai/image-preprocessors");
        assertThat(EndpointId.parse("fal-ai/era-3d").appPath()).isEqualTo("fal-ai/era-3d");
        assertThat(EndpointId.parse("workflows/acme/my-flow/extra").appPath())
                .isEqualTo("workflows/acme/my-flow");
        EndpointId id = EndpointId.parse("tripo3d/tripo/v2.5/image-to-3d");
        assertThat(id.matchesPrefix("tripo3d/tripo")).isTrue();
        assertThat(id.matchesPrefix("tripo3d/tripo/v2.5/image-to-3d")).isTrue();
        assertThat(id.matchesPrefix("tripo3d/other")).isFalse();
    }

    @Test
    void resultsAreKeptAnHourOrSixMinutesFromTenKilobytesScaledBySpeed() {
        assertThat(Timing.resultRetention(10 * 1024 - 1, 1)).isEqualTo(Duration.ofHours(1));
        assertThat(Timing.resultRetention(10 * 1024, 1)).isEqualTo(Duration.ofMinutes(6));
        assertThat(Timing.resultRetention(100, 60)).isEqualTo(Duration.ofMinutes(1));
    }
}
