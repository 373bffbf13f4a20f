package dev.falgate.config;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * A secret read at run time from Secrets Manager and cached for a while, or given directly
 * (the local stack). The value is never logged.
 */
public final class SecretSource {
    private static final Duration CACHE_FOR = Duration.ofMinutes(15);

    private final Supplier<String> fetch;
    private final Clock clock;
    private String value;
    private Instant fetchedAt;

    private SecretSource(Supplier<String> fetch, Clock clock) {
        this.fetch = fetch;
        this.clock = clock;
    }

    public static SecretSource of(String value) {
        return new SecretSource(() -> value, Clock.systemUTC());
    }

    /**
     * The direct value named {@code directVar} when the environment has it (local only),
     * else the Secrets Manager secret named by {@code secretIdVar}.
     */
    public static SecretSource from(Settings settings, String directVar, String secretIdVar,
            Supplier<SecretsManagerClient> client) {
        return settings.optional(directVar).map(value -> given(value, settings.optional(secretIdVar))).orElseGet(() -> {
            String id = settings.require(secretIdVar);
            return new SecretSource(() -> client.get()
                    .getSecretValue(r -> r.secretId(id)).secretString().trim(), Clock.systemUTC());
        });
    }

    /** A directly given value standing for the named secret: each (cached) read is reported as the read it replaces. */
    private static SecretSource given(String value, java.util.Optional<String> secretId) {
        return new SecretSource(() -> {
            secretId.ifPresent(UnsentCalls::getSecretValue);
            return value;
        }, Clock.systemUTC());
    }

    public synchronized String get() {
        Instant now = clock.instant();
        if (value == null || fetchedAt.plus(CACHE_FOR).isBefore(now)) {
            value = fetch.get();
            fetchedAt = now;
        }
        return value;
    }

    @Override
    public String toString() {
        return "SecretSource[****]";
    }
}
