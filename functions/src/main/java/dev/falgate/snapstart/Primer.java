package dev.falgate.snapstart;

import dev.falgate.http.Log;
import dev.falgate.telemetry.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * Runs a function's request path once before Lambda's SnapStart snapshot, so the classes it
 * loads and the code it warms are in the snapshot instead of on the first restored request.
 * Each step is harmless (reads of keys that cannot exist, requests refused before they touch
 * state, SDK calls answered in memory). A failing step is logged and skipped: a throw from
 * {@code beforeCheckpoint} would fail the version's publication.
 */
public final class Primer implements Resource {
    /** One priming action; anything it throws is caught. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    /** What the last run did: the steps that completed and those that failed (with why). */
    public record Report(List<String> primed, Map<String, String> failed) {
    }

    /** CRaC contexts may hold resources weakly: the last primer of each function is kept here. */
    private static final Map<String, Primer> REGISTERED = new ConcurrentHashMap<>();

    private final String function;
    private final List<Map.Entry<String, Step>> steps = new ArrayList<>();
    private volatile Report last = new Report(List.of(), Map.of());

    public Primer(String function) {
        this.function = function;
    }

    public Primer step(String name, Step step) {
        steps.add(Map.entry(name, step));
        return this;
    }

    /** Registers with the global CRaC context (inert on a JVM without CRaC) and keeps a strong reference. */
    public Primer register() {
        REGISTERED.put(function, this);
        Core.getGlobalContext().register(this);
        return this;
    }

    /** The primer last registered for a function (benchmarks and tests run it without a checkpoint). */
    public static Optional<Primer> registered(String function) {
        return Optional.ofNullable(REGISTERED.get(function));
    }

    public List<String> stepNames() {
        return steps.stream().map(Map.Entry::getKey).toList();
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to redo: priming opens no connection that outlives it and caches no secret
    }

    /** Runs every step; never throws. */
    public Report prime() {
        List<String> primed = new ArrayList<>();
        Map<String, String> failed = new java.util.LinkedHashMap<>();
        long start = System.nanoTime();
        Metrics.mute(); // a primed request (the shadow submit's job) must not count as work
        try {
            runSteps(primed, failed);
        } finally {
            Metrics.unmute();
        }
        last = new Report(List.copyOf(primed), Map.copyOf(failed));
        Log.info(null, "primed " + function + " in " + (System.nanoTime() - start) / 1_000_000 + " ms: "
                + primed.size() + " steps, " + failed.size() + " failed");
        return last;
    }

    private void runSteps(List<String> primed, Map<String, String> failed) {
        for (Map.Entry<String, Step> step : steps) {
            try {
                step.getValue().run();
                primed.add(step.getKey());
            } catch (Throwable t) { // NOPMD: a priming failure must never fail the snapshot
                failed.put(step.getKey(), String.valueOf(t));
                Log.warn(null, "priming " + function + ": step " + step.getKey() + " failed, carrying on: " + t);
            }
        }
    }

    public Report lastReport() {
        return last;
    }
}
