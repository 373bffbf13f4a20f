package dev.falgate.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.falgate.config.SecretSource;
import dev.falgate.http.ApiException;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CursorsTest {
    private final Cursors cursors = new Cursors(SecretSource.of("test-secret"));
    private static final String JOB = "job_01JDQ7V3K8Y9ZC2M4N6P8R0T2W";

    @Test
    void roundTripsForTheSameTenantAndFilters() {
        String c = cursors.encode("acme", "succeeded", null, JOB);
        assertThat(cursors.decode("acme", "succeeded", null, c)).isEqualTo(JOB);
        assertThat(c).doesNotContain("acme");
    }

    @Test
    void refusesAnotherTenantsCursor() {
        String c = cursors.encode("acme", null, null, JOB);
        assertInvalid(() -> cursors.decode("globex", null, null, c));
    }

    @Test
    void refusesACursorForOtherFilters() {
        String c = cursors.encode("acme", "succeeded", null, JOB);
        assertInvalid(() -> cursors.decode("acme", "failed", null, c));
        assertInvalid(() -> cursors.decode("acme", "succeeded", "fal-ai/trellis", c));
    }

    @Test
    void refusesTamperingAndGarbage() {
        byte[] raw = Base64.getUrlDecoder().decode(cursors.encode("acme", null, null, JOB));
        raw[10] ^= 1;
        assertInvalid(() -> cursors.decode("acme", null, null, Base64.getUrlEncoder().withoutPadding().encodeToString(raw)));
        assertInvalid(() -> cursors.decode("acme", null, null, "not a cursor!"));
        assertInvalid(() -> cursors.decode("acme", null, null, ""));
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("invalid_cursor");
        });
    }
}
