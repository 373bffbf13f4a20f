package dev.falgate.emulator;

import static org.assertj.core.api.Assertions.assertThat;

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
}
