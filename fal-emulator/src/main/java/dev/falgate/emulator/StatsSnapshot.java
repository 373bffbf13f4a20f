package dev.falgate.emulator;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** A point-in-time copy of the emulator's counters, per model id. */
public record StatsSnapshot(@JsonProperty("models") Map<String, ModelCounts> models) {

    public StatsSnapshot {
        models = Map.copyOf(models);
    }

    /** The counts of one model; zeros when it was never used. */
    public ModelCounts model(String modelId) {
        return models.getOrDefault(modelId, ModelCounts.ZERO);
    }

    @JsonProperty("totals")
    public ModelCounts totals() {
        return models.values().stream().reduce(ModelCounts.ZERO, ModelCounts::plus);
    }
}
