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

    @Test
    void aScopedUrlsTokenCoversItsTenantAndModel() {
        WebhookTokens.Scope scope = new WebhookTokens.Scope("acme", "fal-ai/image-editing/color-correction");
        String url = "https://api.example.test/v1/webhooks/fal/" + JOB + "?" + scope.query();
        assertThat(scope.query()).as("nothing to decode: the same whether or not the HTTP API decodes the query")
                .isEqualTo("tenant=acme&model=fal-ai/image-editing/color-correction");
        String withToken = tokens.withToken(url, JOB);
        assertThat(withToken).startsWith(url + "&token=");
        Optional<String> token = Optional.of(withToken.substring(withToken.indexOf("&token=") + "&token=".length()));
        assertThat(tokens.verifies(JOB, Optional.of(scope), token)).isTrue();
        assertThat(tokens.verifies(JOB, token)).as("the scope cannot be dropped").isFalse();
        assertThat(tokens.verifies(JOB, Optional.of(new WebhookTokens.Scope("other", scope.model())), token))
                .as("nor changed: another tenant").isFalse();
        assertThat(tokens.verifies(JOB, Optional.of(new WebhookTokens.Scope("acme", "fal-ai/trellis")), token))
                .as("nor another model").isFalse();
        assertThat(tokens.verifies(JOB, Optional.of(scope), Optional.of(tokens.tokenFor(JOB))))
                .as("an unscoped token does not cover a scope").isFalse();
    }
}
