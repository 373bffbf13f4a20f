package dev.falgate.idempotency;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.http.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code Idempotency-Key} for POSTs: within a tenant, the same key and the same body give the
 * same result and run the work once, also when the requests arrive together; the same key with
 * another body is a 409. Keys expire after 24 hours.
 */
public final class Idempotency {
    public static final Duration KEY_LIFETIME = Duration.ofHours(24);
    /** Longer than a submit can take (the function's 30 s timeout): an older claim was abandoned. */
    static final Duration LEASE = Duration.ofSeconds(60);
    /** How long a late duplicate waits for the first request before answering 409. */
    static final Duration WAIT_FOR_FIRST = Duration.ofSeconds(5);
    private static final Duration WAIT_STEP = Duration.ofMillis(100);

    private final IdempotencyStore store;
    private final Clock clock;

    public Idempotency(DynamoDbClient ddb, String table, Clock clock) {
        this(new IdempotencyStore(ddb, table), clock);
    }

    Idempotency(IdempotencyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** What a request produced: its status and the id of what it made (a job, an upload). */
    public record Outcome<T>(int status, String resultId, T value) {
    }

    /**
     * Lets the work bind the key to what it made as soon as that exists: from then on the key is
     * never released, whatever fails later, and a retry replays that result.
     */
    @FunctionalInterface
    public interface Commit {
        void resultExists(String resultId, int status);

        Commit NONE = (resultId, status) -> { };
    }

    /** {@link #run(String, String, Optional, JsonNode, Function, Function)} for work that commits only at its end. */
    public <T> T run(String tenant, String route, Optional<String> key, JsonNode body,
            Supplier<Outcome<T>> work, Function<String, T> replay) {
        return run(tenant, route, key, body, commit -> work.get(), replay);
    }

    /**
     * Runs {@code work} once per (tenant, route, key, body). A repeat gets {@code replay} of the
     * first outcome's id. Without a key the work simply runs.
     */
    public <T> T run(String tenant, String route, Optional<String> key, JsonNode body,
            Function<Commit, Outcome<T>> work, Function<String, T> replay) {
        if (key.isEmpty()) {
            return work.apply(Commit.NONE).value();
        }
        String id = recordId(tenant, route, checked(key.get()));
        String fingerprint = CanonicalJson.fingerprint(body);
        Instant now = clock.instant();
        if (store.claim(id, fingerprint, now, now.plus(LEASE), now.plus(KEY_LIFETIME))) {
            return runClaimed(id, fingerprint, work);
        }
        return replayOrRefuse(id, fingerprint, replay);
    }

    private <T> T runClaimed(String id, String fingerprint, Function<Commit, Outcome<T>> work) {
        String[] committed = {null};
        Commit commit = (resultId, status) -> {
            store.complete(id, fingerprint, resultId, status);
            committed[0] = resultId;
        };
        Outcome<T> outcome;
        try {
            outcome = work.apply(commit);
        } catch (RuntimeException e) {
            if (committed[0] == null) {
                store.release(id, fingerprint); // nothing was made: the key is free for a retry
            }
            throw e;
        }
        if (!outcome.resultId().equals(committed[0])) {
            store.complete(id, fingerprint, outcome.resultId(), outcome.status());
        }
        return outcome.value();
    }

    private <T> T replayOrRefuse(String id, String fingerprint, Function<String, T> replay) {
        Instant giveUp = clock.instant().plus(WAIT_FOR_FIRST);
        while (true) {
            Optional<IdempotencyStore.Entry> entry = store.find(id);
            if (entry.isPresent() && !entry.get().fingerprint().equals(fingerprint)) {
                throw new ApiException(409, "idempotency_key_reused",
                        "this Idempotency-Key was used with a different request body");
            }
            if (entry.isPresent() && entry.get().completed()) {
                return replay.apply(entry.get().resultId());
            }
            if (!clock.instant().isBefore(giveUp)) {
                throw new InFlight();
            }
            pause();
        }
    }

    private static String recordId(String tenant, String route, String key) {
        return tenant + "#" + route + "#" + key;
    }

    private static String checked(String key) {
        if (key.isBlank() || key.length() > 255 || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw ApiException.validation("Idempotency-Key", "invalid_idempotency_key",
                    "Idempotency-Key must be 1-255 visible ASCII characters");
        }
        return key;
    }

    private static void pause() {
        try {
            Thread.sleep(WAIT_STEP.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InFlight();
        }
    }

    /** The first request with this key is still running: retry after a second. */
    public static final class InFlight extends ApiException {
        public InFlight() {
            super(409, "idempotency_in_progress", "a request with this Idempotency-Key is still in progress; retry shortly",
                    java.util.List.of(), java.util.Map.of("retry-after", "1"));
        }
    }
}
