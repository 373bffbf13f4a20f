package dev.falgate.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.catalog.FieldConstraints;
import dev.falgate.catalog.FieldSpec;
import dev.falgate.catalog.ModelSpec;
import dev.falgate.catalog.Rule;
import dev.falgate.http.FieldError;
import java.util.List;

/**
 * The catalog's limits beyond type and enum: number ranges, string lengths and list sizes per
 * field, and the rules across fields (an interval's end not before its start, a prompt or
 * images). Checked on the effective input, so a default counts as given.
 */
final class Constraints {
    /** Any string, prompts included: fal's own limits are lower for most models. */
    static final int MAX_STRING_LENGTH = 10_000;

    private Constraints() {
    }

    static void checkValue(FieldSpec field, JsonNode value, String path, List<FieldError> errors) {
        FieldConstraints c = field.constraints();
        if (value.isTextual() && value.asText().length() > maxLength(c)) {
            errors.add(new FieldError(path, "too_long", field.name() + " must be at most " + maxLength(c) + " characters"));
        }
        if (c == null || !value.isNumber()) {
            return;
        }
        double v = value.asDouble();
        if ((c.minimum() != null && v < c.minimum()) || (c.maximum() != null && v > c.maximum())) {
            errors.add(new FieldError(path, "out_of_range", field.name() + " must be " + range(c)));
        }
    }

    static void checkList(FieldSpec field, JsonNode list, String path, List<FieldError> errors) {
        FieldConstraints c = field.constraints();
        if (c == null) {
            return;
        }
        if (c.minItems() != null && list.size() < c.minItems()) {
            errors.add(new FieldError(path, "too_few_items", field.name() + " needs at least " + items(c.minItems())));
        }
        if (c.maxItems() != null && list.size() > c.maxItems()) {
            errors.add(new FieldError(path, "too_many_items", field.name() + " takes at most " + items(c.maxItems())));
        }
    }

    private static String items(int n) {
        return n == 1 ? "1 item" : n + " items";
    }

    /** Checks each rule whose fields are otherwise well-formed (a rule over a bad value says nothing). */
    static void checkRules(ModelSpec model, ObjectNode input, List<FieldError> errors) {
        java.util.Set<String> bad = errors.stream().map(FieldError::field).collect(java.util.stream.Collectors.toSet());
        for (Rule rule : model.rules()) {
            if (rule.fields().stream().anyMatch(f -> bad.stream().anyMatch(p -> p.equals("input." + f) || p.startsWith("input." + f + "[")))) {
                continue;
            }
            switch (rule.kind()) {
                case "gte" -> gte(rule, input, errors);
                case "any_of" -> anyOf(rule, input, errors);
                case "all_or_none" -> allOrNone(rule, input, errors);
                default -> throw new IllegalStateException("unknown rule kind " + rule.kind());
            }
        }
    }

    private static void gte(Rule rule, ObjectNode input, List<FieldError> errors) {
        JsonNode high = input.get(rule.fields().get(0));
        JsonNode low = input.get(rule.fields().get(1));
        if (high != null && low != null && high.isNumber() && low.isNumber() && high.asDouble() < low.asDouble()) {
            errors.add(new FieldError("input." + rule.fields().get(0), "cross_field", rule.message()));
        }
    }

    private static void anyOf(Rule rule, ObjectNode input, List<FieldError> errors) {
        if (rule.fields().stream().noneMatch(f -> given(input.get(f)))) {
            rule.fields().forEach(f -> errors.add(new FieldError("input." + f, "cross_field", rule.message())));
        }
    }

    private static void allOrNone(Rule rule, ObjectNode input, List<FieldError> errors) {
        long present = rule.fields().stream().filter(f -> given(input.get(f))).count();
        if (present > 0 && present < rule.fields().size()) {
            rule.fields().stream().filter(f -> !given(input.get(f)))
                    .forEach(f -> errors.add(new FieldError("input." + f, "cross_field", rule.message())));
        }
    }

    /** Given and not empty: an empty string or list does not satisfy "a prompt or images". */
    private static boolean given(JsonNode v) {
        return v != null && !v.isNull() && !(v.isTextual() && v.asText().isBlank()) && !(v.isArray() && v.isEmpty());
    }

    private static int maxLength(FieldConstraints c) {
        return c != null && c.maxLength() != null ? Math.min(c.maxLength(), MAX_STRING_LENGTH) : MAX_STRING_LENGTH;
    }

    private static String range(FieldConstraints c) {
        if (c.minimum() != null && c.maximum() != null) {
            return "from " + num(c.minimum()) + " to " + num(c.maximum());
        }
        return c.minimum() != null ? "at least " + num(c.minimum()) : "at most " + num(c.maximum());
    }

    private static String num(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
