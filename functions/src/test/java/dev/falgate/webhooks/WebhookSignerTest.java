package dev.falgate.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
    /** The Standard Webhooks specification's own example (and its libraries' test vector). */
    @Test
    void signsTheSpecificationsExample() {
        byte[] body = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

        assertThat(WebhookSigner.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330, body)).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void twoSecretsGiveTwoSpaceSeparatedSignatures() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String a = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String b = "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

        assertThat(WebhookSigner.signatureHeader(List.of(a, b), "msg_1", 1, body))
                .isEqualTo(WebhookSigner.sign(a, "msg_1", 1, body) + " " + WebhookSigner.sign(b, "msg_1", 1, body));
    }

    @Test
    void retriesSpanAtLeastTwelveAttemptsAndADay() {
        Duration total = Duration.ZERO;
        for (int attempt = 1; attempt < WebhookDeliveryService.MAX_ATTEMPTS; attempt++) {
            assertThat(WebhookDeliveryService.backoff(attempt + 1)).isGreaterThanOrEqualTo(WebhookDeliveryService.backoff(attempt));
            total = total.plus(WebhookDeliveryService.backoff(attempt));
        }
        assertThat(WebhookDeliveryService.MAX_ATTEMPTS).isGreaterThanOrEqualTo(12);
        assertThat(total).isGreaterThanOrEqualTo(Duration.ofHours(24));
        assertThat(WebhookDeliveryService.backoff(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(WebhookDeliveryService.backoff(3)).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void rotationKeepsThePreviousSecretSigningForADayOnly() {
        var now = java.time.Instant.parse("2026-12-01T12:00:00Z");
        var s = new WebhookSecrets.TenantSecrets("whsec_new", "whsec_old", now.plus(WebhookSecrets.OVERLAP));

        assertThat(s.signing(now)).containsExactly("whsec_new", "whsec_old");
        assertThat(s.signing(now.plus(WebhookSecrets.OVERLAP))).containsExactly("whsec_new");
    }

    @Test
    void aWaitLongerThanSqsCanDelayComesBackAfterFifteenMinutesForTheRest() {
        var now = java.time.Instant.parse("2026-12-01T12:00:00Z");

        assertThat(WebhookQueue.delaySeconds(now.plus(Duration.ofHours(10)), now)).isEqualTo(900);
        assertThat(WebhookQueue.delaySeconds(now.plusMillis(125), now)).isEqualTo(1);
        assertThat(WebhookQueue.delaySeconds(now.minusSeconds(3), now)).isZero();
        var waiting = new WebhookMessage("job_1", "completed", "msg_1", 9, now.plus(Duration.ofHours(3)));
        assertThat(WebhookMessage.parse(waiting.toJson())).isEqualTo(waiting);
    }
}
