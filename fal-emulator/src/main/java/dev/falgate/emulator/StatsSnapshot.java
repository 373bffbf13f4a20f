package dev.falgate.emulator;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.falgate.emulator.faults.Fault;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A point-in-time copy of the emulator's counters: per model id, and how often each fault knob
 * fired (every knob listed, in {@link Fault} order).
 */
public record StatsSnapshot(@JsonProperty("models") Map<String, ModelCounts> models,
        @JsonProperty("faults") Map<String, Long> faults) {

    public StatsSnapshot {
        models = Map.copyOf(models);
        faults = Collections.unmodifiableMap(new LinkedHashMap<>(faults));
    }

    /** The counts of one model; zeros when it was never used. */
    public ModelCounts model(String modelId) {
        return models.getOrDefault(modelId, ModelCounts.ZERO);
    }

    /** How often the fault fired since the emulator started. */
    public long fired(Fault fault) {
        return faults.getOrDefault(fault.wireName(), 0L);
    }

    @JsonProperty("totals")
    public ModelCounts totals() {
        return models.values().stream().reduce(ModelCounts.ZERO, ModelCounts::plus);
    }
}
