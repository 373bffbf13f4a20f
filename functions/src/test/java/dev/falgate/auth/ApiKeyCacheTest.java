package dev.falgate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ApiKeyCacheTest {
    private final Map<String, String> stored = new HashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private Instant now = Instant.parse("2026-12-01T12:00:00Z");
    private final Clock clock = new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    };
    private final ApiKeyCache cache = new ApiKeyCache(key -> {
        lookups.incrementAndGet();
        return Optional.ofNullable(stored.get(key));
    }, clock);

    @Test
    void aKnownKeyIsLookedUpOncePerLifetime() {
        stored.put("fg_a", "acme");
        for (int i = 0; i < 5; i++) {
            assertThat(cache.tenantOf("fg_a")).contains("acme");
        }
        assertThat(lookups).hasValue(1);
        now = now.plus(ApiKeyCache.LIFETIME);
        assertThat(cache.tenantOf("fg_a")).contains("acme");
        assertThat(lookups).hasValue(2);
    }

    @Test
    void aRevokedKeyStopsWorkingOnceItsEntryExpires() {
        stored.put("fg_a", "acme");
        assertThat(cache.tenantOf("fg_a")).contains("acme");
        stored.remove("fg_a"); // revoked
        now = now.plus(ApiKeyCache.LIFETIME).minusSeconds(1);
        assertThat(cache.tenantOf("fg_a")).as("within the stated bound").contains("acme");
        now = now.plusSeconds(1);
        assertThat(cache.tenantOf("fg_a")).isEmpty();
    }

    @Test
    void anUnknownKeyIsNeverRememberedSoANewKeyWorksAtOnce() {
        assertThat(cache.tenantOf("fg_new")).isEmpty();
        stored.put("fg_new", "acme");
        assertThat(cache.tenantOf("fg_new")).contains("acme");
        assertThat(lookups).hasValue(2);
    }

    @Test
    void keysOfDifferentTenantsStayApart() {
        stored.put("fg_a", "acme");
        stored.put("fg_b", "globex");
        assertThat(cache.tenantOf("fg_a")).contains("acme");
        assertThat(cache.tenantOf("fg_b")).contains("globex");
        assertThat(cache.tenantOf("fg_a")).contains("acme");
    }
}
