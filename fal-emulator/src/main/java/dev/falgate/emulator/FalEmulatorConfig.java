package dev.falgate.emulator;

import dev.falgate.catalog.Catalog;
import dev.falgate.emulator.faults.FaultSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How an emulator instance behaves. Immutable; build with {@link #builder()}.
 * Speed, concurrency, result expiry, the webhook drop switch and the faults can also be changed
 * at run time on the running emulator.
 */
public final class FalEmulatorConfig {
    public static final String DEFAULT_API_KEY = "local-fal-key";
    public static final String DEFAULT_USER_ID = "falgate-local-user";
    /** At 60x a 3D job (90-120 s at fal) takes 1.5-2 s, an image edit (10 s) about 0.2 s. */
    public static final double DEFAULT_SPEED = 60;
    /** As a concurrency limit: no limit, every request starts after its queue wait. */
    public static final int UNLIMITED = 0;
    /** Below the 15 s after which fal-js gives up on a silent status stream. */
    public static final Duration DEFAULT_STREAM_KEEP_ALIVE = Duration.ofSeconds(10);
    /**
     * fal's documented model: retries with growing backoff until the stored result expires
     * (about an hour). Tests pass a schedule in milliseconds instead.
     */
    public static final List<Duration> FAL_WEBHOOK_RETRIES = List.of(
            Duration.ofSeconds(120), Duration.ofSeconds(240), Duration.ofSeconds(480),
            Duration.ofSeconds(960), Duration.ofSeconds(1920));

    private final int port;
    private final String apiKey;
    private final String userId;
    private final double speed;
    private final int concurrency;
    private final boolean expireResults;
    private final FaultSettings faults;
    private final Duration streamKeepAlive;
    private final boolean dropWebhooks;
    private final List<Duration> webhookRetryDelays;
    private final Duration webhookTimeout;
    private final Duration resultRetention;
    private final Clock clock;
    private final Catalog catalog;

    private FalEmulatorConfig(Builder b) {
        this.port = b.port;
        this.apiKey = Objects.requireNonNull(b.apiKey, "apiKey");
        this.userId = Objects.requireNonNull(b.userId, "userId");
        this.speed = requirePositive(b.speed);
        this.concurrency = requireConcurrency(b.concurrency);
        this.expireResults = b.expireResults;
        this.faults = Objects.requireNonNull(b.faults, "faults");
        this.streamKeepAlive = requirePositive(b.streamKeepAlive, "streamKeepAlive");
        this.dropWebhooks = b.dropWebhooks;
        this.webhookRetryDelays = List.copyOf(b.webhookRetryDelays);
        this.webhookTimeout = Objects.requireNonNull(b.webhookTimeout, "webhookTimeout");
        this.resultRetention = Objects.requireNonNull(b.resultRetention, "resultRetention");
        this.clock = Objects.requireNonNull(b.clock, "clock");
        this.catalog = b.catalog;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static FalEmulatorConfig defaults() {
        return builder().build();
    }

    /** The speed itself; IllegalArgumentException unless a positive finite number. */
    public static double requirePositive(double speed) {
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be a positive number: " + speed);
        }
        return speed;
    }

    /** The limit itself; IllegalArgumentException when negative. */
    public static int requireConcurrency(int concurrency) {
        if (concurrency < 0) {
            throw new IllegalArgumentException("concurrency must be 0 (unlimited) or more: "
                    + concurrency);
        }
        return concurrency;
    }

    private static Duration requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
        return duration;
    }

    /** 0 picks a free port. The emulator always binds 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The main account's key ({@code Authorization: Key <key>}). */
    public String apiKey() {
        return apiKey;
    }

    /** The main account's user id: {@code X-Fal-Webhook-User-Id}, signed into its webhooks. */
    public String userId() {
        return userId;
    }

    /** Divides fal's typical queue wait and run time per category. */
    public double speed() {
        return speed;
    }

    /**
     * How many requests may be IN_PROGRESS at once (fal's per-account limit: 2 for new
     * accounts, up to 40); the rest wait IN_QUEUE. {@link #UNLIMITED} by default.
     */
    public int concurrency() {
        return concurrency;
    }

    /**
     * Whether results expire as at fal: 1 h after completion, 6 min for results of 10 KB or
     * more, divided by the speed; an expired request is unknown (404). Off by default.
     */
    public boolean expireResults() {
        return expireResults;
    }

    /** The faults armed at start; none by default. */
    public FaultSettings faults() {
        return faults;
    }

    /** The longest a status stream stays silent before a {@code : ping} comment. */
    public Duration streamKeepAlive() {
        return streamKeepAlive;
    }

    public boolean dropWebhooks() {
        return dropWebhooks;
    }

    /** Delay before each retry of a webhook that got no 2xx; its size is the retry count. */
    public List<Duration> webhookRetryDelays() {
        return webhookRetryDelays;
    }

    public Duration webhookTimeout() {
        return webhookTimeout;
    }

    /**
     * Completed requests and their files are forgotten this long after completion at the
     * latest (outputs live in memory); see {@link #expireResults()} for fal's own expiry.
     */
    public Duration resultRetention() {
        return resultRetention;
    }

    /** Time source for timestamps (logs, webhook signatures); delays always run on real time. */
    public Clock clock() {
        return clock;
    }

    /** The models served; the shipped catalog unless a test supplies one. */
    public Catalog catalog() {
        return catalog != null ? catalog : Catalog.standard();
    }

    public static final class Builder {
        private int port = 0;
        private String apiKey = DEFAULT_API_KEY;
        private String userId = DEFAULT_USER_ID;
        private double speed = DEFAULT_SPEED;
        private int concurrency = UNLIMITED;
        private boolean expireResults;
        private FaultSettings faults = FaultSettings.none();
        private Duration streamKeepAlive = DEFAULT_STREAM_KEEP_ALIVE;
        private boolean dropWebhooks;
        private List<Duration> webhookRetryDelays = FAL_WEBHOOK_RETRIES;
        private Duration webhookTimeout = Duration.ofSeconds(15);
        private Duration resultRetention = Duration.ofHours(1);
        private Clock clock = Clock.systemUTC();
        private Catalog catalog;

        private Builder() {
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        public Builder userId(String userId) {
            this.userId = userId;
            return this;
        }

        public Builder speed(double speed) {
            this.speed = speed;
            return this;
        }

        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        public Builder expireResults(boolean expireResults) {
            this.expireResults = expireResults;
            return this;
        }

        public Builder faults(FaultSettings faults) {
            this.faults = faults;
            return this;
        }

        /** The JSON of {@code FAL_EMULATOR_FAULTS} and {@code /_emulator/faults}. */
        public Builder faults(String json) {
            this.faults = FaultSettings.parse(json);
            return this;
        }

        public Builder streamKeepAlive(Duration interval) {
            this.streamKeepAlive = interval;
            return this;
        }

        public Builder dropWebhooks(boolean dropWebhooks) {
            this.dropWebhooks = dropWebhooks;
            return this;
        }

        public Builder webhookRetryDelays(List<Duration> delays) {
            this.webhookRetryDelays = delays;
            return this;
        }

        public Builder webhookTimeout(Duration timeout) {
            this.webhookTimeout = timeout;
            return this;
        }

        public Builder resultRetention(Duration retention) {
            this.resultRetention = retention;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder catalog(Catalog catalog) {
            this.catalog = catalog;
            return this;
        }

        public FalEmulatorConfig build() {
            return new FalEmulatorConfig(this);
        }
    }
}
