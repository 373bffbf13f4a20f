package dev.falgate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falgate.config.SecretSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class BrowserTokensTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private final SecretSource secret = SecretSource.of("a-webhook-secret-for-tests");

    private BrowserTokens at(Instant instant) {
        return new BrowserTokens(secret, Clock.fixed(instant, ZoneOffset.UTC));
    }

    @Test
    void aTokenGrantsItsTenantAndModelsUntilItExpires() {
        String token = at(NOW).mint("acme", List.of("fal-ai/trellis"), 900);

        BrowserTokens.Grant grant = at(NOW.plusSeconds(899)).verify(token).orElseThrow();
        assertThat(grant.tenant()).isEqualTo("acme");
        assertThat(grant.expiresAt()).isEqualTo(NOW.plusSeconds(900));
        assertThat(grant.allows("fal-ai/trellis")).isTrue();
        assertThat(grant.allows("fal-ai/era-3d")).isFalse();
        assertThat(at(NOW.plusSeconds(900)).verify(token)).as("expired at its expiry").isEmpty();
        assertThat(at(NOW.plus(Duration.ofDays(1))).verify(token)).isEmpty();
    }

    @Test
    void aTokenWithoutModelsAllowsEveryModel() {
        String token = at(NOW).mint("acme", List.of(), 60);
        assertThat(at(NOW).verify(token).orElseThrow().allows("anything/at-all")).isTrue();
    }

    @Test
    void aTamperedOrForeignTokenIsRefused() {
        String token = at(NOW).mint("acme", List.of("fal-ai/trellis"), 900);
        String otherTenant = at(NOW).mint("globex", List.of(), 900);
        String spliced = token.substring(0, token.lastIndexOf('.')) + otherTenant.substring(otherTenant.lastIndexOf('.'));

        assertThat(at(NOW).verify(spliced)).isEmpty();
        assertThat(new BrowserTokens(SecretSource.of("another-deployment"), Clock.fixed(NOW, ZoneOffset.UTC))
                .verify(token)).isEmpty();
        assertThat(at(NOW).verify("fgt_")).isEmpty();
        assertThat(at(NOW).verify("fg_live_key")).isEmpty();
    }
}
