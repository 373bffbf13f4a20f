package dev.falgate.emulator;

import dev.falgate.emulator.faults.Fault;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/** Thread-safe counters per model and per fault knob; read through {@link #snapshot()}. */
public final class StatsRecorder {

    public enum Counter {
        SUBMITS, STATUS_POLLS, RESULT_READS, CANCELS, WEBHOOKS_SENT, WEBHOOKS_ACKNOWLEDGED,
        WEBHOOKS_DROPPED
    }

    private final Map<String, Map<Counter, LongAdder>> byModel = new ConcurrentHashMap<>();
    private final Map<Fault, LongAdder> faultsFired = new EnumMap<>(Fault.class);

    public StatsRecorder() {
        Arrays.stream(Fault.values()).forEach(f -> faultsFired.put(f, new LongAdder()));
    }

    public void increment(String modelId, Counter counter) {
        byModel.computeIfAbsent(modelId, id -> newCounters()).get(counter).increment();
    }

    public void faultFired(Fault fault) {
        faultsFired.get(fault).increment();
    }

    public StatsSnapshot snapshot() {
        Map<String, ModelCounts> models = byModel.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> counts(e.getValue())));
        Map<String, Long> faults = new LinkedHashMap<>();
        faultsFired.forEach((fault, count) -> faults.put(fault.wireName(), count.sum()));
        return new StatsSnapshot(models, faults);
    }

    private static Map<Counter, LongAdder> newCounters() {
        Map<Counter, LongAdder> counters = new EnumMap<>(Counter.class);
        for (Counter c : Counter.values()) {
            counters.put(c, new LongAdder());
        }
        return counters;
    }

    private static ModelCounts counts(Map<Counter, LongAdder> c) {
        return new ModelCounts(
                c.get(Counter.SUBMITS).sum(),
                c.get(Counter.STATUS_POLLS).sum(),
                c.get(Counter.RESULT_READS).sum(),
                c.get(Counter.CANCELS).sum(),
                c.get(Counter.WEBHOOKS_SENT).sum(),
                c.get(Counter.WEBHOOKS_ACKNOWLEDGED).sum(),
                c.get(Counter.WEBHOOKS_DROPPED).sum());
    }
}
