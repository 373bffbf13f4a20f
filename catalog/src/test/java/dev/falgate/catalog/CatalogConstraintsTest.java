package dev.falgate.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.catalog.CatalogOverrides.FieldPatch;
import dev.falgate.catalog.CatalogOverrides.ModelOverride;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The field constraints and cross-field rules: well-formed, consistent with the fields they limit,
 * satisfied by every page's own example, and justified in the page's words where they quote it.
 * The limits are checked here by a small checker of the test's own ({@link #problems}), not by
 * any gateway validator, so a bug there cannot hide a bad catalog entry.
 */
class CatalogConstraintsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Catalog catalog = Catalog.standard();

    @Test
    void everyRuleNamesRealFieldsOfItsModelAndAKnownKind() {
        SoftAssertions soft = new SoftAssertions();
        for (ModelSpec m : catalog.models()) {
            for (Rule rule : m.rules()) {
                String where = m.id() + " " + rule.kind() + " " + rule.fields();
                soft.assertThat(Rule.KINDS).as(where).contains(rule.kind());
                soft.assertThat(rule.fields()).as(where).hasSizeGreaterThanOrEqualTo(2).doesNotHaveDuplicates();
                rule.fields().forEach(f -> soft.assertThat(m.input(f)).as(where + " names " + f).isPresent());
                if (rule.kind().equals("gte")) {
                    soft.assertThat(rule.fields()).as(where).hasSize(2);
                    rule.fields().forEach(f -> soft.assertThat(m.input(f).map(FieldSpec::type).orElse(""))
                            .as(where + " compares numbers").isIn("integer", "float"));
                }
                soft.assertThat(rule.message()).as(where + " message").isNotBlank();
                soft.assertThat(rule.why()).as(where + " why").isNotBlank();
            }
        }
        soft.assertAll();
    }

    @Test
    void everyConstraintIsConsistentAndFitsItsFieldsType() {
        SoftAssertions soft = new SoftAssertions();
        for (ModelSpec m : catalog.models()) {
            for (FieldSpec f : m.inputs()) {
                FieldConstraints c = f.constraints();
                if (c == null) {
                    continue;
                }
                String where = m.id() + " " + f.name();
                soft.assertThat(c.isEmpty()).as(where + " empty constraints are written as null").isFalse();
                if (c.minimum() != null && c.maximum() != null) {
                    soft.assertThat(c.minimum()).as(where + " minimum <= maximum").isLessThanOrEqualTo(c.maximum());
                }
                if (c.minItems() != null && c.maxItems() != null) {
                    soft.assertThat(c.minItems()).as(where + " min_items <= max_items").isLessThanOrEqualTo(c.maxItems());
                }
                if (c.minimum() != null || c.maximum() != null) {
                    soft.assertThat(f.type()).as(where + " range on a number").isIn("integer", "float");
                }
                if (c.minItems() != null || c.maxItems() != null) {
                    soft.assertThat(f.isList()).as(where + " item counts on a list").isTrue();
                }
                if (c.maxLength() != null) {
                    soft.assertThat(f.type()).as(where + " length of a string").isEqualTo("string");
                }
                if (c.maxBytes() != null || c.maxPixels() != null || c.maxSide() != null) {
                    soft.assertThat(f.file()).as(where + " file limits on a file").isTrue();
                }
                if (c.maxPixels() != null || c.maxSide() != null) {
                    soft.assertThat(f.fileKind()).as(where + " pixel limits on an image").isEqualTo("image");
                }
                if (f.enumValues() != null && (c.minimum() != null || c.maximum() != null)) {
                    f.enumValues().forEach(v -> soft.assertThat(problems(f, v)).as(where + " enum value " + v).isEmpty());
                }
            }
        }
        soft.assertAll();
    }

    @TestFactory
    Stream<DynamicTest> everyExampleInputAndDefaultSatisfiesEveryConstraintAndRule() {
        return catalog.models().stream().map(m -> DynamicTest.dynamicTest(m.id(), () -> {
            SoftAssertions soft = new SoftAssertions();
            for (FieldSpec f : m.inputs()) {
                if (f.defaultValue() != null) {
                    soft.assertThat(problems(f, f.defaultValue())).as(f.name() + " default").isEmpty();
                }
            }
            soft.assertThat(problems(m, m.example())).as("the page's example input").isEmpty();
            soft.assertAll();
        }));
    }

    /** The limits the pages state in so many words are in the catalog, and the checker refuses what they forbid. */
    @Test
    void thePagesStatedLimitsAreInTheCatalogAndBite() {
        ModelSpec recraft = model("fal-ai/recraft/v3/image-to-image");
        assertThat(recraft.input("image_url").orElseThrow().constraints())
                .isEqualTo(new FieldConstraints(null, null, null, null, null, 4_999_999L, 15_999_999L, 4095));
        assertThat(problems(recraft, with(recraft, "strength", 1.5))).containsExactly("strength 1.5 > 1.0");

        ModelSpec rodin = model("fal-ai/hyper3d/rodin");
        assertThat(problems(rodin, with(rodin, "seed", 65535))).isEmpty();
        assertThat(problems(rodin, with(rodin, "seed", 65536))).containsExactly("seed 65536.0 > 65535.0");
        assertThat(problems(rodin, with(rodin, "seed", -1))).containsExactly("seed -1.0 < 0.0");
        ObjectNode textOnly = rodin.example().deepCopy().remove(List.of("input_image_urls"));
        assertThat(problems(rodin, textOnly)).isEmpty();
        ObjectNode imagesOnly = rodin.example().deepCopy().remove(List.of("prompt"));
        assertThat(problems(rodin, imagesOnly)).isEmpty();
        ObjectNode neither = rodin.example().deepCopy().remove(List.of("prompt", "input_image_urls"));
        assertThat(problems(rodin, neither)).containsExactly("any_of [prompt, input_image_urls]");
        assertThat(problems(rodin, neither.deepCopy().put("prompt", ""))).as("the empty default prompt does not count")
                .containsExactly("any_of [prompt, input_image_urls]");

        ModelSpec trellis2 = model("fal-ai/trellis-2-lora");
        assertThat(trellis2.rules()).extracting(Rule::kind, Rule::fields).containsExactly(
                org.assertj.core.groups.Tuple.tuple("gte", List.of("ss_guidance_interval_end", "ss_guidance_interval_start")),
                org.assertj.core.groups.Tuple.tuple("gte", List.of("shape_slat_guidance_interval_end", "shape_slat_guidance_interval_start")),
                org.assertj.core.groups.Tuple.tuple("gte", List.of("tex_slat_guidance_interval_end", "tex_slat_guidance_interval_start")));
        ObjectNode lateStart = trellis2.example().deepCopy();
        lateStart.remove("tex_slat_guidance_interval_end");
        lateStart.put("tex_slat_guidance_interval_start", 0.95);
        assertThat(problems(trellis2, lateStart)).as("the default end (0.9) counts")
                .containsExactly("gte [tex_slat_guidance_interval_end, tex_slat_guidance_interval_start]");
        assertThat(problems(trellis2, with(trellis2, "ss_guidance_interval_start", -0.1)))
                .containsExactly("ss_guidance_interval_start -0.1 < 0.0");

        ModelSpec flux = model("fal-ai/flux/dev/image-to-image");
        assertThat(problems(flux, with(flux, "strength", 0))).containsExactly("strength 0.0 < 0.01");
        assertThat(problems(flux, with(flux, "strength", 1))).isEmpty();
        assertThat(problems(flux, with(flux, "num_images", 0))).containsExactly("num_images 0.0 < 1.0");

        for (String multi : List.of("fal-ai/trellis/multi", "fal-ai/flux-pro/kontext/max/multi")) {
            ModelSpec m = model(multi);
            ObjectNode empty = m.example().deepCopy();
            empty.putArray("image_urls");
            assertThat(problems(m, empty)).as(multi).containsExactly("image_urls 0 items < 1");
        }
    }

    @Test
    void twoPatchesOfOneFieldMergeTheirConstraints() {
        ModelSpec m = overrides("""
                "inputs": [
                  {"fields": ["start", "end"], "set": {"constraints": {"minimum": 0}}, "why": "w"},
                  {"fields": ["start"], "set": {"constraints": {"maximum": 1}}, "why": "w"}
                ],
                "rules": [{"kind": "gte", "fields": ["end", "start"], "message": "end >= start", "why": "w"}]
                """).apply(List.of(seed())).get(0);
        assertThat(m.input("start").orElseThrow().constraints()).isEqualTo(range(0d, 1d));
        assertThat(m.input("end").orElseThrow().constraints()).isEqualTo(range(0d, null));
        assertThat(m.rules()).containsExactly(new Rule("gte", List.of("end", "start"), "end >= start", "w"));
    }

    @Test
    void aMisspeltConstraintFailsToLoad() {
        assertThatThrownBy(() -> overrides("""
                "inputs": [{"fields": ["start"], "set": {"constraints": {"minimun": 0}}, "why": "w"}]
                """)).hasMessageContaining("minimun").hasMessageContaining("start");
        assertThatThrownBy(() -> overrides("""
                "inputs": [{"fields": ["start"], "set": {"constraint": {"minimum": 0}}, "why": "w"}]
                """)).hasMessageContaining("cannot set 'constraint'");
        assertThatThrownBy(() -> overrides("""
                "inputs": [{"fields": ["urls"], "set": {"constraints": {"min_items": 1.5}}, "why": "w"}]
                """)).hasMessageContaining("min_items");
        assertThatThrownBy(() -> overrides("""
                "inputs": [{"fields": ["start"], "set": {"constraints": {"minimum": 2, "maximum": 1}}, "why": "w"}]
                """)).hasMessageContaining("above maximum");
    }

    @Test
    void aConstraintThatCannotApplyOrIsSetTwiceFailsToApply() {
        assertThatThrownBy(() -> overrides("""
                "inputs": [{"fields": ["prompt"], "set": {"constraints": {"minimum": 0}}, "why": "w"}]
                """).apply(List.of(seed()))).hasMessageContaining("prompt").hasMessageContaining("minimum/maximum");
        assertThatThrownBy(() -> overrides("""
                "inputs": [{"fields": ["start"], "set": {"constraints": {"min_items": 1}}, "why": "w"}]
                """).apply(List.of(seed()))).hasMessageContaining("min_items/max_items need a list");
        assertThatThrownBy(() -> overrides("""
                "inputs": [{"fields": ["prompt"], "set": {"constraints": {"max_side": 10}}, "why": "w"}]
                """).apply(List.of(seed()))).hasMessageContaining("image file");
        assertThatThrownBy(() -> overrides("""
                "inputs": [
                  {"fields": ["start"], "set": {"constraints": {"minimum": 0}}, "why": "w"},
                  {"fields": ["start"], "set": {"constraints": {"minimum": 0.5}}, "why": "w"}
                ]
                """).apply(List.of(seed()))).hasMessageContaining("minimum set twice");
    }

    @Test
    void aMisspeltRuleKindOrARuleWithoutWhyFailsToLoad() {
        assertThatThrownBy(() -> overrides("""
                "rules": [{"kind": "gtee", "fields": ["end", "start"], "message": "m", "why": "w"}]
                """)).hasMessageContaining("unknown rule kind 'gtee'");
        assertThatThrownBy(() -> overrides("""
                "rules": [{"kind": "any_of", "fields": ["prompt", "urls"], "message": "m"}]
                """)).hasMessageContaining("needs a message and a why");
        assertThatThrownBy(() -> overrides("""
                "rules": [{"kind": "any_of", "fields": ["prompt", "urls"], "message": "m", "why": " "}]
                """)).hasMessageContaining("needs a message and a why");
        assertThatThrownBy(() -> overrides("""
                "rules": [{"kind": "gte", "fields": ["end", "start", "prompt"], "message": "m", "why": "w"}]
                """)).hasMessageContaining("exactly 2");
        assertThatThrownBy(() -> overrides("""
                "rules": [{"kind": "any_of", "fields": ["prompt", "urls"], "message": "m", "why": "w", "when": "x"}]
                """)).hasMessageContaining("when");
    }

    @Test
    void aRuleNamingAnUnknownFieldFailsToApply() {
        assertThatThrownBy(() -> overrides("""
                "rules": [{"kind": "any_of", "fields": ["prompt", "image_urls"], "message": "m", "why": "w"}]
                """).apply(List.of(seed()))).hasMessageContaining("acme/m: any_of rule names unknown input image_urls");
        assertThatThrownBy(() -> overrides("""
                "rules": [{"kind": "gte", "fields": ["start", "prompt"], "message": "m", "why": "w"}]
                """).apply(List.of(seed()))).hasMessageContaining("gte rule compares prompt");
    }

    /**
     * A constraint's or rule's why that quotes its page ("...") quotes it word for word: the quoted
     * text is in the model's input section, read by {@link RawSeeds}.
     */
    @Test
    void whysOfConstraintsAndRulesQuoteTheirPageExactly() {
        Map<String, RawSeeds.Model> pages = RawSeeds.read(RepoPaths.seedsDir());
        Pattern quoted = Pattern.compile("\"([^\"]+)\"");
        SoftAssertions soft = new SoftAssertions();
        int quotes = 0;
        for (ModelOverride o : CatalogOverrides.standard().models()) {
            String page = normalized(pages.get(o.model()).inputs().stream()
                    .map(f -> f.name() + " " + f.text()).collect(Collectors.joining(" ")));
            List<String> whys = new ArrayList<>();
            o.inputs().stream().filter(p -> p.set().has("constraints")).map(FieldPatch::why).forEach(whys::add);
            o.rules().stream().map(Rule::why).forEach(whys::add);
            for (String why : whys) {
                Matcher q = quoted.matcher(why);
                while (q.find()) {
                    quotes++;
                    soft.assertThat(page).as(o.model() + ": quoted in a why").contains(normalized(q.group(1)));
                }
            }
        }
        soft.assertAll();
        assertThat(quotes).as("the whys do quote the pages").isGreaterThan(20);
    }

    // --- the test's own checker ---------------------------------------------------------------

    /** What is wrong with an input (page example plus the field defaults) against the model's limits. */
    static List<String> problems(ModelSpec m, ObjectNode given) {
        ObjectNode effective = JSON.createObjectNode();
        m.inputs().stream().filter(f -> f.defaultValue() != null).forEach(f -> effective.set(f.name(), f.defaultValue()));
        effective.setAll(given);
        List<String> problems = new ArrayList<>();
        effective.properties().forEach(e -> m.input(e.getKey()).ifPresent(f -> problems.addAll(problems(f, e.getValue()))));
        for (Rule r : m.rules()) {
            List<JsonNode> values = r.fields().stream().map(effective::get).toList();
            long present = values.stream().filter(CatalogConstraintsTest::present).count();
            boolean ok = switch (r.kind()) {
                case "gte" -> present < 2 || values.get(0).asDouble() >= values.get(1).asDouble();
                case "any_of" -> present > 0;
                case "all_or_none" -> present == 0 || present == values.size();
                default -> false;
            };
            if (!ok) {
                problems.add(r.kind() + " " + r.fields());
            }
        }
        return problems;
    }

    /** One value against its field's constraints (file sizes and pixels need the file: not checked here). */
    static List<String> problems(FieldSpec f, JsonNode v) {
        FieldConstraints c = f.constraints();
        List<String> problems = new ArrayList<>();
        if (c == null) {
            return problems;
        }
        if (v.isNumber()) {
            if (c.minimum() != null && v.asDouble() < c.minimum()) {
                problems.add(f.name() + " " + v.asDouble() + " < " + c.minimum());
            }
            if (c.maximum() != null && v.asDouble() > c.maximum()) {
                problems.add(f.name() + " " + v.asDouble() + " > " + c.maximum());
            }
        }
        if (v.isArray()) {
            if (c.minItems() != null && v.size() < c.minItems()) {
                problems.add(f.name() + " " + v.size() + " items < " + c.minItems());
            }
            if (c.maxItems() != null && v.size() > c.maxItems()) {
                problems.add(f.name() + " " + v.size() + " items > " + c.maxItems());
            }
        }
        if (v.isTextual() && c.maxLength() != null && v.asText().length() > c.maxLength()) {
            problems.add(f.name() + " longer than " + c.maxLength());
        }
        return problems;
    }

    /** Given and not empty: an empty string or list is not a prompt or images. */
    private static boolean present(JsonNode v) {
        return v != null && !v.isNull() && !(v.isTextual() && v.asText().isBlank()) && !(v.isArray() && v.isEmpty());
    }

    // --- helpers -------------------------------------------------------------------------------

    private ModelSpec model(String id) {
        return catalog.find(id).orElseThrow();
    }

    private static ObjectNode with(ModelSpec m, String field, Number value) {
        ObjectNode input = m.example().deepCopy();
        input.set(field, JSON.valueToTree(value));
        return input;
    }

    private static String normalized(String text) {
        return text.replace('\u00A0', ' ').replaceAll("\\s+", " ").strip();
    }

    private static FieldConstraints range(Double min, Double max) {
        return new FieldConstraints(min, max, null, null, null, null, null, null);
    }

    /** A one-model seed, as SeedParser would give it, to apply hand-written overrides to. */
    private static ModelSpec seed() {
        ObjectNode example = JSON.createObjectNode().put("prompt", "a cat");
        return new ModelSpec("acme/m", "Acme", null, "d", List.of(
                new FieldSpec("prompt", "string", false, null, null, "", false, null),
                new FieldSpec("urls", "list<string>", false, null, null, "", false, null),
                new FieldSpec("start", "float", false, null, null, "", false, null),
                new FieldSpec("end", "float", false, null, null, "", false, null)),
                List.of(new OutputField("image", "image", false, true, "")), example);
    }

    /** An overrides file for the one seed model, with the given extra members. */
    private static CatalogOverrides overrides(String members) {
        String json = """
                {"about": "test", "models": [{"model": "acme/m", "title": "Acme", "category": "image-editing",
                  "why": "test", %s}]}
                """.formatted(members);
        return CatalogOverrides.load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
}
