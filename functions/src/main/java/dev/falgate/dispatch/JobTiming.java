package dev.falgate.dispatch;

import dev.falgate.catalog.Category;
import dev.falgate.config.Settings;
import java.time.Duration;
import java.time.Instant;

/**
 * The lifecycle's clocks, all divided by {@code FALGATE_TIME_SCALE} (1 on AWS; the local stack
 * runs a sped-up fal emulator, so a 10-minute deadline there lasts 10 minutes / speed).
 */
public final class JobTiming {
    /**
     * How long a claimed submit can still be talking to fal: API Gateway gives up after 30 s,
     * fal's own answer is bounded by {@link dev.falgate.fal.FalClient#REQUEST_TIMEOUT}. A claim
     * older than this belongs to a sender that died; a PENDING job older than this was never
     * claimed by the submit that wrote it.
     */
    static final Duration IN_FLIGHT = Duration.ofSeconds(35);
    /**
     * Longer than {@link #IN_FLIGHT}: until then the submit that wrote the job (or claimed it) may
     * still be at work. A job fal has not taken yet is swept this long after each step.
     */
    static final Duration SWEEP_AFTER = Duration.ofMinutes(1);
    /**
     * How long past its model's typical time a job sent with our webhook waits for it before the
     * sweeper starts its poll chain: fal calls back at once, and retries a failed delivery.
     */
    static final Duration WEBHOOK_GRACE = Duration.ofSeconds(30);
    /**
     * The least grace, also when time is scaled down: the webhook's trip and our callback (its
     * copy included) are not sped up, and under load they take seconds.
     */
    private static final Duration MIN_WEBHOOK_GRACE = Duration.ofSeconds(4);
    /**
     * The least time a job stays clear of the sweeper, also when time is scaled down: our own
     * steps (write to claim) are not sped up, and under load they take seconds.
     */
    private static final Duration MIN_SWEEP_AFTER = Duration.ofSeconds(20);
    /** The shortest fal request timeout, also when time is scaled down. */
    private static final Duration MIN_FAL_TIMEOUT = Duration.ofSeconds(2);

    /**
     * Categories whose jobs run in seconds and return a few images: they are finished where
     * fal's webhook lands ({@code poller.ImmediateFinish}).
     */
    private static final java.util.Set<Category> QUICK = java.util.EnumSet.of(Category.IMAGE_EDITING, Category.SEGMENTATION);

    private final double scale;

    public JobTiming(double scale) {
        this.scale = scale;
    }

    public static JobTiming from(Settings settings) {
        return new JobTiming(settings.timeScale());
    }

    public Duration scaled(Duration d) {
        return Settings.scaled(d, scale);
    }

    public Instant deadline(Category category, Instant created) {
        return created.plus(scaled(Duration.ofSeconds(category.deadlineSeconds())));
    }

    public static boolean isQuick(Category category) {
        return QUICK.contains(category);
    }

    /** When the sweeper should look at a job written or claimed at {@code since} (no deadline known: the floor applies in full). */
    public Instant sweepAt(Instant since) {
        return sweepAt(since, null);
    }

    /**
     * When the sweeper should look at a job written (or claimed) at
     * {@code since}: {@link #SWEEP_AFTER} scaled, but no sooner than {@link #MIN_SWEEP_AFTER}
     * unless that would leave less than half the time to {@code deadline} for polling.
     */
    public Instant sweepAt(Instant since, Instant deadline) {
        Duration d = scaled(SWEEP_AFTER);
        Duration floor = MIN_SWEEP_AFTER;
        if (deadline != null) {
            Duration half = Duration.between(since, deadline).dividedBy(2);
            floor = half.compareTo(floor) < 0 ? half : floor;
        }
        return since.plus(d.compareTo(floor) < 0 ? floor : d);
    }

    /**
     * When the sweeper should poll a job fal has (or may have) since {@code sent}, if its webhook
     * has not ended it by then: the category's typical time plus {@link #WEBHOOK_GRACE}, both
     * scaled, the grace no shorter than {@link #MIN_WEBHOOK_GRACE}.
     */
    public Instant sweepAwaitingWebhook(Category category, Instant sent) {
        Duration grace = scaled(WEBHOOK_GRACE);
        grace = grace.compareTo(MIN_WEBHOOK_GRACE) < 0 ? MIN_WEBHOOK_GRACE : grace;
        return sent.plus(scaled(Duration.ofSeconds(category.typicalSeconds()))).plus(grace);
    }

    /** Whether a sender that started at {@code since} can no longer be at work. */
    public boolean inFlightOver(Instant since, Instant now) {
        return since == null || since.plus(scaled(IN_FLIGHT)).isBefore(now);
    }

    public Duration falRequestTimeout() {
        Duration d = scaled(dev.falgate.fal.FalClient.REQUEST_TIMEOUT);
        return d.compareTo(MIN_FAL_TIMEOUT) < 0 ? MIN_FAL_TIMEOUT : d;
    }
}
