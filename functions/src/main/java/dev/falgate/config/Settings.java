package dev.falgate.config;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a function needs to know about its deployment, read from its environment
 * (template.yaml's variables on Lambda; the local runner passes the same map in-process).
 */
public record Settings(Map<String, String> env) {

    public Settings {
        env = Map.copyOf(env);
    }

    public String require(String name) {
        return optional(name).orElseThrow(
                () -> new IllegalStateException("missing environment variable " + name));
    }

    public Optional<String> optional(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    public String jobsTable() {
        return require("JOBS_TABLE");
    }

    public String filesBucket() {
        return require("FILES_BUCKET");
    }

    public String pollQueueUrl() {
        return require("POLL_QUEUE_URL");
    }

    /** The queue of FINISH messages (copying outputs), consumed apart from the light polls. */
    public String finishQueueUrl() {
        return require("FINISH_QUEUE_URL");
    }

    /**
     * How long an output download may go without a byte (or wait for its headers) before it
     * fails and is retried: {@code FALGATE_DOWNLOAD_IDLE_TIMEOUT_MS}, 30 s by default.
     */
    public Duration downloadIdleTimeout() {
        return Duration.ofMillis(optional("FALGATE_DOWNLOAD_IDLE_TIMEOUT_MS").map(Long::parseLong).orElse(30_000L));
    }

    public URI falQueueBaseUrl() {
        return URI.create(optional("FAL_QUEUE_BASE_URL").orElse("https://queue.fal.run"));
    }

    public URI falJwksUrl() {
        return URI.create(optional("FAL_JWKS_URL").orElse("https://rest.fal.ai/.well-known/jwks.json"));
    }

    /** fal's REST API (storage uploads). */
    public URI falRestBaseUrl() {
        return URI.create(optional("FAL_REST_BASE_URL").orElse("https://rest.fal.ai"));
    }

    /**
     * Whether inputs go to fal through fal's storage instead of presigned URLs of our bucket:
     * {@code FAL_INPUT_STORAGE=fal}, for a laptop fal cannot reach.
     */
    public boolean falInputStorage() {
        return optional("FAL_INPUT_STORAGE").map("fal"::equalsIgnoreCase).orElse(false);
    }

    /**
     * fal's id of the account this deployment submits with ({@code FalUserId}): when set, a
     * webhook signed for any other account is refused.
     */
    public Optional<String> falUserId() {
        return optional("FAL_USER_ID");
    }

    public Optional<String> webhookBaseUrl() {
        return optional("WEBHOOK_BASE_URL");
    }

    /** Hosts outputs may be downloaded from: exact names or {@code *.suffix}. */
    public List<String> falCdnHosts() {
        return optional("FAL_CDN_HOSTS").map(s -> Arrays.stream(s.split(","))
                        .map(String::trim).filter(h -> !h.isEmpty()).toList())
                .orElse(List.of("*.fal.media", "fal.media", "storage.googleapis.com"));
    }

    /**
     * Host names the URL fetcher may resolve to 127.0.0.1: a setting for tests only, empty (off)
     * unless {@code FALGATE_FETCH_LOOPBACK_HOSTS} names them.
     */
    public java.util.Set<String> fetchLoopbackHosts() {
        return optional("FALGATE_FETCH_LOOPBACK_HOSTS").map(s -> Arrays.stream(s.split(","))
                .map(String::trim).filter(h -> !h.isEmpty()).collect(java.util.stream.Collectors.toSet()))
                .orElse(java.util.Set.of());
    }

    /**
     * The time all URL inputs of one submit share, {@code FALGATE_FETCH_BUDGET_MS}; empty (the
     * fetcher's default) unless set. A setting so tests can shorten it.
     */
    public Optional<Duration> fetchBudget() {
        return optional("FALGATE_FETCH_BUDGET_MS").map(ms -> Duration.ofMillis(Long.parseLong(ms)));
    }

    /**
     * How many characters of fal's raw result may live in the job item (larger ones go to S3);
     * local tests lower it so the S3 path runs too. Empty: the recorder's own default.
     */
    public Optional<Integer> resultInlineMaxChars() {
        return optional("FALGATE_RESULT_INLINE_MAX_CHARS").map(Integer::parseInt);
    }

    public int retentionDays() {
        return optional("RETENTION_DAYS").map(Integer::parseInt).orElse(30);
    }

    public Optional<URI> endpoint(String service) {
        return optional("FALGATE_ENDPOINT_" + service).map(URI::create);
    }

    public boolean s3PathStyle() {
        return optional("FALGATE_S3_PATH_STYLE").map(Boolean::parseBoolean).orElse(false);
    }

    /**
     * Divides every poll delay and every job deadline: the local stack runs a sped-up fal
     * emulator, so polls that are due after a 3D model's typical 90 s must come sooner there,
     * and a job times out after its deadline divided by the same factor. 1 on AWS.
     */
    public double timeScale() {
        return optional("FALGATE_TIME_SCALE").map(Double::parseDouble).orElse(1.0);
    }

    public Duration scaled(Duration d) {
        return scaled(d, timeScale());
    }

    /** {@code d} divided by a time scale, to the millisecond. */
    public static Duration scaled(Duration d, double scale) {
        return Duration.ofMillis(Math.round(d.toMillis() / scale));
    }

    /** The partner-webhook queue; empty in a function that never sends partner webhooks. */
    public Optional<String> webhookQueueUrl() {
        return optional("WEBHOOK_QUEUE_URL");
    }

    public String webhookDeadLetterQueueUrl() {
        return require("WEBHOOK_DEAD_LETTER_QUEUE_URL");
    }

    /**
     * {@code FALGATE_WEBHOOK_ALLOW_LOOPBACK=true}: partner webhooks may target loopback, over
     * http too. Set by {@code ./falgate local} only; never in template.yaml, so never on AWS.
     */
    public boolean webhookAllowLoopback() {
        return optional("FALGATE_WEBHOOK_ALLOW_LOOPBACK").map(Boolean::parseBoolean).orElse(false);
    }
}
