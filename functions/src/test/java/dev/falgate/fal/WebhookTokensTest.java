package dev.falgate.fal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falgate.config.SecretSource;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookTokensTest {
    private static final String JOB = "job_01JDQ7V3K8Y9ZC2M4N6P8R0T2W";
    private final WebhookTokens tokens = new WebhookTokens(SecretSource.of("secret-one"));

    @Test
    void aTokenVerifiesForItsJobOnlyAndUnderItsSecretOnly() {
        String token = tokens.tokenFor(JOB);
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(tokens.verifies(JOB, Optional.of(token))).isTrue();
        assertThat(tokens.verifies("job_01JDQ7V3K8Y9ZC2M4N6P8R0T2X", Optional.of(token))).isFalse();
        assertThat(new WebhookTokens(SecretSource.of("secret-two")).verifies(JOB, Optional.of(token))).isFalse();
        assertThat(tokens.verifies(JOB, Optional.empty())).isFalse();
        assertThat(tokens.verifies(JOB, Optional.of(token.substring(1)))).isFalse();
    }

    @Test
    void theTokenIsAddedToTheWebhookUrlAsAQueryParameter() {
        assertThat(tokens.withToken("https://api.example.test/v1/webhooks/fal/" + JOB, JOB))
                .isEqualTo("https://api.example.test/v1/webhooks/fal/" + JOB + "?token=" + tokens.tokenFor(JOB));
    }
}
