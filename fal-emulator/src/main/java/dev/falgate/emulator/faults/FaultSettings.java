package dev.falgate.emulator.faults;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.emulator.Json;
import dev.falgate.emulator.queue.InfrastructureError;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Which faults are armed, immutable: the config value and the JSON of
 * {@code FAL_EMULATOR_FAULTS} / {@code /_emulator/faults}:
 * <pre>{"seed": 7, "knobs": {"drop_webhook": {"probability": 0.3},
 *   "status_http_error": {"count": 2, "status": 429}, "delay_webhook": {"count": 1, "delay_ms": 500}}}</pre>
 * A knob given as {@code null} is off; in an update ({@link FaultPlan#update}) that switches it
 * off, and {@code "reset": true} switches every other knob off first.
 */
public record FaultSettings(long seed, Map<Fault, Knob> knobs) {

    public FaultSettings {
        knobs = Collections.unmodifiableMap(knobs.isEmpty() ? new EnumMap<>(Fault.class)
                : new EnumMap<>(knobs));
    }

    /** No faults: the emulator behaves like a healthy fal. */
    public static FaultSettings none() {
        return new FaultSettings(0, Map.of());
    }

    public FaultSettings with(Fault fault, Knob knob) {
        Map<Fault, Knob> copy = new EnumMap<>(Fault.class);
        copy.putAll(knobs);
        copy.put(fault, knob);
        return new FaultSettings(seed, copy);
    }

    public FaultSettings withSeed(long newSeed) {
        return new FaultSettings(newSeed, knobs);
    }

    /** Parses the JSON shape above; IllegalArgumentException says what is wrong. */
    public static FaultSettings parse(String json) {
        try {
            return fromJson(Json.MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("faults: not JSON: " + e.getOriginalMessage());
        }
    }

    /** Parses; a knob given as {@code null} maps to a null value (meaning "off"). */
    public static FaultSettings fromJson(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("faults: expected a JSON object");
        }
        requireOnly(json, "faults", "seed", "knobs", "reset");
        JsonNode seed = json.path("seed");
        if (!seed.isMissingNode() && !seed.canConvertToLong()) {
            throw new IllegalArgumentException("faults: seed must be an integer");
        }
        Map<Fault, Knob> knobs = new EnumMap<>(Fault.class);
        JsonNode knobsJson = json.path("knobs");
        if (!knobsJson.isMissingNode() && !knobsJson.isObject()) {
            throw new IllegalArgumentException("faults: knobs must be an object");
        }
        for (Map.Entry<String, JsonNode> entry : knobsJson.properties()) {
            Fault fault = fault(entry.getKey());
            knobs.put(fault, entry.getValue().isNull() ? null : knob(fault, entry.getValue()));
        }
        return new FaultSettings(seed.asLong(0), knobs);
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.object().put("seed", seed);
        ObjectNode knobsJson = json.putObject("knobs");
        knobs.forEach((fault, knob) -> {
            if (knob != null) {
                knobsJson.set(fault.wireName(), knobJson(knob));
            }
        });
        return json;
    }

    private static Fault fault(String name) {
        return Fault.fromWireName(name).orElseThrow(() -> new IllegalArgumentException(
                "faults: unknown knob '" + name + "'"));
    }

    private static Knob knob(Fault fault, JsonNode json) {
        if (!json.isObject()) {
            throw new IllegalArgumentException(fault.wireName() + ": expected an object");
        }
        requireOnly(json, fault.wireName(), "probability", "count", "seed", "delay_ms", "status",
                "error_type", "copies");
        try {
            Long delayMs = integerParam(fault, json, Fault.Param.DELAY_MS);
            Long status = integerParam(fault, json, Fault.Param.STATUS);
            Long copies = integerParam(fault, json, Fault.Param.COPIES);
            return new Knob(doubleOrNull(json, "probability"), longOrNull(json, "count"),
                    longOrNull(json, "seed"), delayMs == null ? null : Duration.ofMillis(delayMs),
                    status == null ? null : Math.toIntExact(status), errorType(fault, json),
                    copies == null ? null : Math.toIntExact(copies));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException(fault.wireName() + ": " + e.getMessage());
        }
    }

    private static Long integerParam(Fault fault, JsonNode json, Fault.Param param) {
        return param(fault, json, param) == null ? null : longOrNull(json, param.wireName());
    }

    private static String errorType(Fault fault, JsonNode json) {
        JsonNode value = param(fault, json, Fault.Param.ERROR_TYPE);
        if (value == null) {
            return null;
        }
        return InfrastructureError.fromWireName(value.asText()).orElseThrow(() ->
                new IllegalArgumentException("unknown error_type '" + value.asText() + "'"))
                .wireName();
    }

    /** The parameter's value, null when absent; an error when this fault does not take it. */
    private static JsonNode param(Fault fault, JsonNode json, Fault.Param param) {
        JsonNode value = json.get(param.wireName());
        if (value != null && !fault.accepts(param)) {
            throw new IllegalArgumentException("does not take " + param.wireName());
        }
        return value;
    }

    private static Double doubleOrNull(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value != null && !value.isNumber()) {
            throw new IllegalArgumentException(field + " must be a number");
        }
        return value == null ? null : value.asDouble();
    }

    private static Long longOrNull(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value != null && !value.canConvertToExactIntegral()) {
            throw new IllegalArgumentException(field + " must be an integer");
        }
        return value == null ? null : value.asLong();
    }

    private static void requireOnly(JsonNode json, String where, String... allowed) {
        for (Map.Entry<String, JsonNode> entry : json.properties()) {
            if (!List.of(allowed).contains(entry.getKey())) {
                throw new IllegalArgumentException(where + ": unknown field '" + entry.getKey()
                        + "'");
            }
        }
    }

    private static ObjectNode knobJson(Knob knob) {
        ObjectNode json = Json.object();
        if (knob.probability() != null) {
            json.put("probability", knob.probability());
        } else {
            json.put("count", knob.count());
        }
        if (knob.seed() != null) {
            json.put("seed", knob.seed());
        }
        if (knob.delay() != null) {
            json.put("delay_ms", knob.delay().toMillis());
        }
        if (knob.status() != null) {
            json.put("status", knob.status());
        }
        if (knob.errorType() != null) {
            json.put("error_type", knob.errorType());
        }
        if (knob.copies() != null) {
            json.put("copies", knob.copies());
        }
        return json;
    }
}
