package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.catalog.Catalog;
import dev.falgate.catalog.FieldConstraints;
import dev.falgate.catalog.FieldSpec;
import dev.falgate.catalog.ModelSpec;
import dev.falgate.catalog.Rule;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Bad inputs made by mutating each model's own example input, once per rule type per field it
 * applies to: each gets a 4xx naming exactly the offending fields, and none of them reaches fal
 * or writes a byte to S3. The examples themselves are accepted.
 */
class BadInputTest {
    enum RuleType { MISSING, WRONG_TYPE, ENUM, RANGE, CROSS_FIELD, UNKNOWN_FIELD, BAD_FILE, MULTI }

    /** At most this many fields of a model are mutated per rule type (keeps the run short). */
    static final int FIELDS_PER_RULE = 3;

    record Case(String model, RuleType type, ObjectNode input, Set<String> expectedFields) {
    }

    private final TestStack t = TestStack.get();
    private final PipelineTest flows = new PipelineTest();

    @Test
    void everyMutationIsRefusedNamingExactlyItsFieldsAndCostsNothing() {
        Refs refs = refs();
        List<Case> cases = new ArrayList<>();
        Catalog.standard().models().forEach(m -> cases.addAll(mutations(m, valid(m, refs))));
        assertThat(cases).hasSizeGreaterThanOrEqualTo(150);
        assertEveryModelHasEveryApplicableRuleType(cases);

        flows.awaitNoPendingJobs();
        long submits = t.fal.stats().totals().submits();
        int objects = flows.objectCount();
        SoftAssertions soft = new SoftAssertions();
        for (Case c : cases) {
            Api.Response r = t.api.post("/v1/jobs", TestStack.ACME_KEY, Map.of("model", c.model(), "input", c.input()));
            soft.assertThat(r.status()).as(c.model() + " " + c.type() + " " + c.input()).isBetween(400, 499);
            if (r.status() / 100 == 4) {
                soft.assertThat(fields(r.json())).as(c.model() + " " + c.type() + ": " + r.text())
                        .isEqualTo(c.expectedFields());
            }
        }
        soft.assertAll();
        assertThat(t.fal.stats().totals().submits()).as("fal submissions").isEqualTo(submits);
        assertThat(flows.objectCount()).as("new S3 objects").isEqualTo(objects);
        System.out.printf("bad inputs: %d cases, %s%n", cases.size(),
                cases.stream().collect(Collectors.groupingBy(Case::type, Collectors.counting())));
    }

    @Test
    void theExampleInputOfEverySeedIsAccepted() {
        Refs refs = refs();
        for (ModelSpec m : Catalog.standard().models()) {
            Api.Response r = t.api.post("/v1/jobs", TestStack.ACME_KEY, Map.of("model", m.id(), "input", valid(m, refs)));
            assertThat(r.status()).as(m.id() + ": " + r.text()).isEqualTo(202);
        }
    }

    // --- generating the cases ---

    private List<Case> mutations(ModelSpec m, ObjectNode valid) {
        List<Case> out = new ArrayList<>();
        fields(m, f -> f.required() && !f.file()).forEach(f -> out.add(without(m, valid, f.name(), RuleType.MISSING)));
        fields(m, f -> f.required() && f.file()).forEach(f -> out.add(without(m, valid, f.name(), RuleType.MISSING)));
        fields(m, f -> f.enumValues() == null).forEach(f ->
                out.add(with(m, valid, f.name(), wrongTypeFor(f), RuleType.WRONG_TYPE, "input." + f.name())));
        fields(m, f -> f.enumValues() != null && !f.enumValues().isEmpty()).forEach(f ->
                out.add(with(m, valid, f.name(), valid.textNode("not-one-of-them"), RuleType.ENUM, "input." + f.name())));
        fields(m, f -> f.constraints() != null && f.constraints().maximum() != null).forEach(f ->
                out.add(with(m, valid, f.name(), valid.numberNode(f.constraints().maximum() + 1), RuleType.RANGE, "input." + f.name())));
        fields(m, f -> f.constraints() != null && f.constraints().minimum() != null && f.constraints().maximum() == null)
                .forEach(f -> out.add(with(m, valid, f.name(), valid.numberNode(f.constraints().minimum() - 1), RuleType.RANGE, "input." + f.name())));
        m.rules().forEach(rule -> crossField(m, valid, rule).ifPresent(out::add));
        out.add(with(m, valid, "no_such_field", valid.textNode("x"), RuleType.UNKNOWN_FIELD, "input.no_such_field"));
        fields(m, FieldSpec::file).forEach(f -> out.add(badFile(m, valid, f)));
        out.add(multi(m, valid));
        return out;
    }

    private static List<FieldSpec> fields(ModelSpec m, java.util.function.Predicate<FieldSpec> which) {
        return m.inputs().stream().filter(which).limit(FIELDS_PER_RULE).toList();
    }

    private static Case without(ModelSpec m, ObjectNode valid, String field, RuleType type) {
        ObjectNode in = valid.deepCopy();
        in.remove(field);
        return new Case(m.id(), type, in, Set.of("input." + field));
    }

    private static Case with(ModelSpec m, ObjectNode valid, String field, JsonNode value, RuleType type, String expected) {
        ObjectNode in = valid.deepCopy();
        in.set(field, value);
        return new Case(m.id(), type, in, Set.of(expected));
    }

    private static JsonNode wrongTypeFor(FieldSpec f) {
        return f.type().equals("string") || f.file() ? Api.JSON.getNodeFactory().numberNode(42)
                : Api.JSON.getNodeFactory().textNode("not a " + f.type());
    }

    /** Breaks one rule while every single field stays valid on its own. */
    private static java.util.Optional<Case> crossField(ModelSpec m, ObjectNode valid, Rule rule) {
        ObjectNode in = valid.deepCopy();
        switch (rule.kind()) {
            case "gte" -> {
                FieldSpec low = m.input(rule.fields().get(1)).orElseThrow();
                FieldConstraints c = low.constraints();
                double lowValue = c != null && c.maximum() != null ? c.maximum() : 0.8;
                double highValue = c != null && c.minimum() != null ? Math.max(c.minimum(), lowValue - 0.5) : lowValue - 0.5;
                in.put(rule.fields().get(1), lowValue);
                in.put(rule.fields().get(0), highValue);
                return java.util.Optional.of(new Case(m.id(), RuleType.CROSS_FIELD, in, Set.of("input." + rule.fields().get(0))));
            }
            case "any_of" -> {
                rule.fields().forEach(in::remove);
                return java.util.Optional.of(new Case(m.id(), RuleType.CROSS_FIELD, in,
                        rule.fields().stream().map(f -> "input." + f).collect(Collectors.toSet())));
            }
            default -> {
                return java.util.Optional.empty();
            }
        }
    }

    private static Case badFile(ModelSpec m, ObjectNode valid, FieldSpec f) {
        ObjectNode in = valid.deepCopy();
        String notAnImage = "data:image/png;base64,AAAA";
        if (f.isList()) {
            ArrayNode list = in.putArray(f.name());
            list.add(notAnImage);
            return new Case(m.id(), RuleType.BAD_FILE, in, Set.of("input." + f.name() + "[0]"));
        }
        in.put(f.name(), notAnImage);
        return new Case(m.id(), RuleType.BAD_FILE, in, Set.of("input." + f.name()));
    }

    /** Several problems at once: all are reported, each with its own path. */
    private static Case multi(ModelSpec m, ObjectNode valid) {
        ObjectNode in = valid.deepCopy();
        in.put("no_such_field", 1);
        in.put("another_unknown", true);
        return new Case(m.id(), RuleType.MULTI, in, Set.of("input.no_such_field", "input.another_unknown"));
    }

    private static void assertEveryModelHasEveryApplicableRuleType(List<Case> cases) {
        for (ModelSpec m : Catalog.standard().models()) {
            Set<RuleType> expected = EnumSet.of(RuleType.WRONG_TYPE, RuleType.UNKNOWN_FIELD, RuleType.BAD_FILE, RuleType.MULTI);
            if (m.inputs().stream().anyMatch(FieldSpec::required)) {
                expected.add(RuleType.MISSING);
            }
            if (m.inputs().stream().anyMatch(f -> f.enumValues() != null && !f.enumValues().isEmpty())) {
                expected.add(RuleType.ENUM);
            }
            if (m.inputs().stream().anyMatch(f -> f.constraints() != null && (f.constraints().maximum() != null || f.constraints().minimum() != null))) {
                expected.add(RuleType.RANGE);
            }
            if (m.rules().stream().anyMatch(r -> Set.of("gte", "any_of").contains(r.kind()))) {
                expected.add(RuleType.CROSS_FIELD);
            }
            Set<RuleType> covered = cases.stream().filter(c -> c.model().equals(m.id())).map(Case::type)
                    .collect(Collectors.toCollection(() -> EnumSet.noneOf(RuleType.class)));
            assertThat(covered).as(m.id()).containsAll(expected);
        }
    }

    // --- valid inputs ---

    record Refs(String image, String safetensors) {
    }

    private Refs refs() {
        return new Refs(flows.upload(TestStack.ACME_KEY, Images.png(64, 64), "image/png"),
                flows.upload(TestStack.ACME_KEY, safetensors(), "application/octet-stream"));
    }

    /** The model's example input with every file URL replaced by one of our upload refs. */
    private static ObjectNode valid(ModelSpec m, Refs refs) {
        ObjectNode in = m.example().deepCopy();
        for (FieldSpec f : m.fileInputs()) {
            String ref = "safetensors".equals(f.fileKind()) ? refs.safetensors() : refs.image();
            JsonNode v = in.get(f.name());
            if (v instanceof ArrayNode list) {
                for (int i = 0; i < list.size(); i++) {
                    list.set(i, in.textNode(ref));
                }
            } else if (v != null) {
                in.put(f.name(), ref);
            }
        }
        return in;
    }

    static byte[] safetensors() {
        byte[] header = "{\"__metadata__\":{\"format\":\"pt\"}}".getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + 32).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        return b.array();
    }

    private static Set<String> fields(JsonNode error) {
        Set<String> out = new TreeSet<>();
        error.at("/error/details").forEach(d -> out.add(d.get("field").asText()));
        return out;
    }
}
