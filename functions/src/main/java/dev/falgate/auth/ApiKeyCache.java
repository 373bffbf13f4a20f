package dev.falgate.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Known API keys for a short while, so a busy caller costs one GetItem per {@link #LIFETIME}
 * instead of one per request. The price is the revocation bound: a revoked key keeps working
 * in a warm function for at most {@link #LIFETIME}. Only keys that exist are kept (a new key
 * works at once); at most {@link #MAX_KEYS} per container, the table is cleared when full.
 */
public final class ApiKeyCache {
    public static final Duration LIFETIME = Duration.ofSeconds(60);
    static final int MAX_KEYS = 10_000;

    private record Entry(String tenant, Instant until) {
    }

    private final Function<String, Optional<String>> lookup;
    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> known = new ConcurrentHashMap<>();

    public ApiKeyCache(Function<String, Optional<String>> lookup, Clock clock) {
        this.lookup = lookup;
        this.clock = clock;
    }

    /** The tenant of a presented key, looked up at most once per {@link #LIFETIME} while it exists. */
    public Optional<String> tenantOf(String rawKey) {
        String hash = ApiKeyStore.hash(rawKey); // never keep the raw key itself in memory longer than the request
        Instant now = clock.instant();
        Entry entry = known.get(hash);
        if (entry != null && now.isBefore(entry.until())) {
            return Optional.of(entry.tenant());
        }
        Optional<String> tenant = lookup.apply(rawKey);
        if (tenant.isEmpty()) {
            known.remove(hash);
            return tenant;
        }
        if (known.size() >= MAX_KEYS) {
            known.clear();
        }
        known.put(hash, new Entry(tenant.get(), now.plus(LIFETIME)));
        return tenant;
    }
}
