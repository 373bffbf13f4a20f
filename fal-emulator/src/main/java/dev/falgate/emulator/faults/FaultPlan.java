package dev.falgate.emulator.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.emulator.StatsRecorder;
import dev.falgate.emulator.queue.InfrastructureError;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The armed faults of a running emulator. Code where a fault can act asks {@link #fires} once
 * per occasion (a webhook, a run, a poll, a download...); every firing is counted in the stats.
 * Each probabilistic knob draws from its own generator seeded from the knob's seed or the
 * plan's, so the same settings and the same sequence of occasions repeat a run.
 */
public final class FaultPlan {
    static final Duration DEFAULT_DELAY = Duration.ofSeconds(1);
    static final int DEFAULT_STATUS = 503;
    static final InfrastructureError DEFAULT_ERROR = InfrastructureError.RUNNER_DISCONNECTED;

    private final StatsRecorder stats;
    private final Map<Fault, ArmedKnob> armed = new EnumMap<>(Fault.class);
    private long seed;

    public FaultPlan(FaultSettings settings, StatsRecorder stats) {
        this.stats = stats;
        replace(settings);
    }

    /** Whether the fault strikes on this occasion; counts it if so. */
    public boolean fires(Fault fault) {
        ArmedKnob knob = armedKnob(fault);
        if (knob == null || !knob.draw()) {
            return false;
        }
        stats.faultFired(fault);
        return true;
    }

    public Duration delay(Fault fault) {
        Knob knob = knob(fault);
        return knob == null || knob.delay() == null ? DEFAULT_DELAY : knob.delay();
    }

    /** How many times a duplicated webhook is delivered. */
    public int copies(Fault fault) {
        Knob knob = knob(fault);
        return knob == null || knob.copies() == null ? 2 : knob.copies();
    }

    /** The HTTP status an injected ingress error answers with. */
    public int status(Fault fault) {
        Knob knob = knob(fault);
        return knob == null || knob.status() == null ? DEFAULT_STATUS : knob.status();
    }

    public InfrastructureError errorType(Fault fault) {
        Knob knob = knob(fault);
        return knob == null || knob.errorType() == null ? DEFAULT_ERROR
                : InfrastructureError.fromWireName(knob.errorType()).orElseThrow();
    }

    /** Replaces every knob (and the seed) with {@code settings}. */
    public synchronized void replace(FaultSettings settings) {
        armed.clear();
        seed = settings.seed();
        settings.knobs().forEach(this::arm);
    }

    /**
     * Applies a {@code POST /_emulator/faults} body: {@code reset} switches everything off
     * first, {@code seed} re-seeds the knobs armed by this update, listed knobs are replaced
     * (null switches one off), unlisted ones keep their state. Nothing changes on a bad body.
     */
    public synchronized void update(JsonNode body) {
        FaultSettings parsed = FaultSettings.fromJson(body);
        JsonNode reset = body.path("reset");
        if (!reset.isMissingNode() && !reset.isBoolean()) {
            throw new IllegalArgumentException("faults: reset must be a boolean");
        }
        if (reset.asBoolean(false)) {
            armed.clear();
        }
        if (body.has("seed")) {
            seed = parsed.seed();
        }
        parsed.knobs().forEach(this::arm);
    }

    /** The current knobs, count knobs with what remains of their count. */
    public synchronized FaultSettings current() {
        Map<Fault, Knob> knobs = new EnumMap<>(Fault.class);
        armed.forEach((fault, knob) -> knobs.put(fault, knob.remainingKnob()));
        return new FaultSettings(seed, knobs);
    }

    private synchronized ArmedKnob armedKnob(Fault fault) {
        return armed.get(fault);
    }

    private Knob knob(Fault fault) {
        ArmedKnob knob = armedKnob(fault);
        return knob == null ? null : knob.knob;
    }

    private void arm(Fault fault, Knob knob) {
        if (knob == null || knob.isOff()) {
            armed.remove(fault);
            return;
        }
        long knobSeed = knob.seed() != null ? knob.seed() : derivedSeed(fault);
        armed.put(fault, new ArmedKnob(knob, new SplittableRandom(knobSeed)));
    }

    /** Distinct per knob, so two knobs at the same probability do not fire in lockstep. */
    private long derivedSeed(Fault fault) {
        return seed + (fault.ordinal() + 1) * 0x9E3779B97F4A7C15L;
    }

    /** A knob with its generator and, for count knobs, what is left of the count. */
    private static final class ArmedKnob {
        private final Knob knob;
        private final SplittableRandom random;
        private long remaining;

        ArmedKnob(Knob knob, SplittableRandom random) {
            this.knob = knob;
            this.random = random;
            this.remaining = knob.count() == null ? 0 : knob.count();
        }

        synchronized boolean draw() {
            if (knob.count() == null) {
                return random.nextDouble() < knob.probability();
            }
            if (remaining == 0) {
                return false;
            }
            remaining--;
            return true;
        }

        synchronized Knob remainingKnob() {
            return knob.count() == null ? knob : knob.withCount(remaining);
        }
    }
}
