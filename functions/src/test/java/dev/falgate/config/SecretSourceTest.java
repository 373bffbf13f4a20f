package dev.falgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A secret given directly (the local stack) is reported as the Secrets Manager read it replaces, once per cached read. */
class SecretSourceTest {
    /** Registered for this test tree in META-INF/services. */
    public static final class Reads implements UnsentCalls.Listener {
        static final List<String> SECRET_IDS = new CopyOnWriteArrayList<>();

        @Override
        public void getSecretValue(String secretId) {
            SECRET_IDS.add(secretId);
        }
    }

    @BeforeEach
    void clear() {
        Reads.SECRET_IDS.clear();
    }

    @Test
    void aGivenSecretIsReportedAsTheReadOfTheSecretItStandsForOncePerCachedRead() {
        Settings settings = new Settings(Map.of("CURSOR_SECRET", "local-value", "CURSOR_SECRET_ID", "arn:aws:secretsmanager:x:1:secret:c"));
        SecretSource source = SecretSource.from(settings, "CURSOR_SECRET", "CURSOR_SECRET_ID", () -> {
            throw new AssertionError("no Secrets Manager call for a given secret");
        });
        assertThat(source.get()).isEqualTo("local-value");
        assertThat(source.get()).isEqualTo("local-value");
        assertThat(Reads.SECRET_IDS).containsExactly("arn:aws:secretsmanager:x:1:secret:c");
    }

    @Test
    void aGivenValueWithNoSecretNamedReportsNothing() {
        SecretSource source = SecretSource.from(new Settings(Map.of("FAL_KEY", "k")), "FAL_KEY", "FAL_KEY_SECRET_ID", () -> {
            throw new AssertionError("no Secrets Manager call for a given secret");
        });
        assertThat(source.get()).isEqualTo("k");
        assertThat(Reads.SECRET_IDS).isEmpty();
    }
}
