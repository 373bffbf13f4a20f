package dev.falgate.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.falgate.emulator.faults.Fault;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void defaultsArePort8765AndTheLocalKey() {
        FalEmulatorConfig config = Main.config(new String[0], Map.of());

        assertThat(config.port()).isEqualTo(8765);
        assertThat(config.apiKey()).isEqualTo("local-fal-key");
        assertThat(config.speed()).isEqualTo(FalEmulatorConfig.DEFAULT_SPEED);
    }

    @Test
    void argumentBeatsEnvironmentForThePort() {
        Map<String, String> env = Map.of("FAL_EMULATOR_PORT", "9999", "FAL_EMULATOR_KEY", "k",
                "FAL_EMULATOR_SPEED", "5");

        assertThat(Main.config(new String[0], env).port()).isEqualTo(9999);
        assertThat(Main.config(new String[] {"7000"}, env).port()).isEqualTo(7000);
        assertThat(Main.config(new String[0], env).apiKey()).isEqualTo("k");
        assertThat(Main.config(new String[0], env).speed()).isEqualTo(5);
    }

    @Test
    void portMayBeGivenAsAnOption() {
        assertThat(Main.config(new String[] {"--port", "7001"}, Map.of()).port()).isEqualTo(7001);
        assertThat(Main.config(new String[] {"--port=7002"}, Map.of()).port()).isEqualTo(7002);
        assertThatThrownBy(() -> Main.config(new String[] {"--prot", "1"}, Map.of()))
                .hasMessageContaining("usage");
    }

    @Test
    void speedConcurrencyExpiryAndFaultsComeFromTheEnvironment() {
        Map<String, String> env = Map.of("FAL_EMULATOR_SPEED", "20",
                "FAL_EMULATOR_CONCURRENCY", "2", "FAL_EMULATOR_EXPIRE_RESULTS", "true",
                "FAL_EMULATOR_FAULTS", "{\"seed\": 9, \"knobs\": {\"drop_webhook\": "
                        + "{\"probability\": 0.1}}}");

        FalEmulatorConfig config = Main.config(new String[0], env);

        assertThat(config.speed()).isEqualTo(20);
        assertThat(config.concurrency()).isEqualTo(2);
        assertThat(config.expireResults()).isTrue();
        assertThat(config.faults().seed()).isEqualTo(9);
        assertThat(config.faults().knobs().get(Fault.DROP_WEBHOOK).probability()).isEqualTo(0.1);
    }

    @Test
    void defaultsAreUnlimitedNoExpiryAndNoFaults() {
        FalEmulatorConfig config = Main.config(new String[0], Map.of());

        assertThat(config.concurrency()).isEqualTo(FalEmulatorConfig.UNLIMITED);
        assertThat(config.expireResults()).isFalse();
        assertThat(config.faults().knobs()).isEmpty();
        assertThat(config.streamKeepAlive()).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void badValuesAreReportedByName() {
        assertThatThrownBy(() -> Main.config(new String[0], Map.of("FAL_EMULATOR_CONCURRENCY",
                "many"))).hasMessageContaining("FAL_EMULATOR_CONCURRENCY");
        assertThatThrownBy(() -> Main.config(new String[0], Map.of("FAL_EMULATOR_FAULTS",
                "{\"knobs\": {\"nope\": null}}"))).hasMessageContaining("unknown knob");
    }
}
