package dev.falgate.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.falgate.catalog.CatalogOverrides.FieldPatch;
import dev.falgate.catalog.CatalogOverrides.ModelOverride;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The catalog says what the seed pages say, except where a reviewed override (with its why)
 * changes it. The pages are read here with plain regexes ({@link RawSeeds}), not with
 * {@link SeedParser}, so a parser bug cannot hide behind itself.
 */
class CatalogMatchesSeedsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> PLAIN_TYPES =
            Set.of("string", "integer", "float", "boolean", "list<string>", "list<integer>");

    private final Map<String, RawSeeds.Model> pages = RawSeeds.read(RepoPaths.seedsDir());
    private final Catalog catalog = Catalog.standard();
    private final Map<String, ModelOverride> overrides = CatalogOverrides.standard().models().stream()
            .collect(Collectors.toMap(ModelOverride::model, o -> o));

    @Test
    void theSeedsHold23ModelsAndTheCatalogHasEachInSeedOrder() {
        assertThat(pages).hasSize(23);
        assertThat(catalog.models()).extracting(ModelSpec::id).containsExactlyElementsOf(pages.keySet());
    }

    @Test
    void regeneratingFromSeedsAndOverridesGivesTheCommittedCatalog() throws Exception {
        String regenerated = CatalogGenerator.toJson(CatalogGenerator.generate(RepoPaths.seedsDir()));
        assertThat(Files.readString(RepoPaths.committedCatalog()))
                .as("catalog.json is stale: regenerate it (see catalog/README.md)")
                .isEqualTo(regenerated);
    }

    @TestFactory
    Stream<DynamicTest> inputFieldsMatchTheirPage() {
        return pages.values().stream().map(page -> DynamicTest.dynamicTest(page.id(), () -> {
            ModelSpec model = catalog.find(page.id()).orElseThrow();
            assertThat(model.inputs()).extracting(FieldSpec::name)
                    .containsExactlyElementsOf(page.inputs().stream().map(RawSeeds.Field::name).toList());
            SoftAssertions soft = new SoftAssertions();
            page.inputs().forEach(raw -> checkField(soft, raw, model.input(raw.name()).orElseThrow(),
                    patchedProperties(page.id(), raw.name())));
            soft.assertAll();
        }));
    }

    @TestFactory
    Stream<DynamicTest> exampleInputIsThePagesExceptOverriddenKeys() {
        return pages.values().stream().map(page -> DynamicTest.dynamicTest(page.id(), () -> {
            ObjectNode expected = (ObjectNode) JSON.readTree(page.inputExample());
            ModelOverride override = overrides.get(page.id());
            if (override.exampleInput() != null) {
                override.exampleInput().merge().properties().forEach(e -> expected.remove(e.getKey()));
                override.exampleInput().merge().properties().stream().filter(e -> !e.getValue().isNull())
                        .forEach(e -> expected.set(e.getKey(), e.getValue()));
            }
            assertThat(catalog.find(page.id()).orElseThrow().example()).isEqualTo(expected);
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyOutputIsNamedOnThePageOrInItsExample() {
        return pages.values().stream().map(page -> DynamicTest.dynamicTest(page.id(), () -> {
            for (OutputField output : catalog.find(page.id()).orElseThrow().outputs()) {
                assertThat(page.outputSection().contains(output.name() + " ")
                        || page.outputSection().contains(output.name() + "\u00A0")
                        || page.outputSection().contains(output.name() + "\n")
                        || page.outputExample().contains("\"" + output.name() + "\""))
                        .as(output.name()).isTrue();
            }
        }));
    }

    /** Compares one field with its page text; a property an override sets is the override's. */
    private static void checkField(SoftAssertions soft, RawSeeds.Field raw, FieldSpec field, Set<String> patched) {
        String where = field.name() + ": ";
        if (!patched.contains("default")) {
            soft.assertThat(field.defaultValue()).as(where + "default")
                    .isEqualTo(raw.defaultText().map(CatalogMatchesSeedsTest::asWritten).orElse(null));
        }
        if (!patched.contains("enum")) {
            soft.assertThat(field.enumValues() == null ? null : field.enumValues().stream().map(JsonNode::asText).toList())
                    .as(where + "enum").isEqualTo(raw.enumValues().orElse(null));
            boolean quotedDefault = raw.defaultText().filter(d -> d.startsWith("\"")).isPresent();
            if (quotedDefault && field.enumValues() != null) {
                soft.assertThat(field.enumValues()).as(where + "enum typed as its quoted default").allMatch(JsonNode::isTextual);
            }
        }
        if (!patched.contains("required")) {
            soft.assertThat(field.required()).as(where + "required").isEqualTo(raw.markedRequired());
        }
        if (!patched.contains("type") && PLAIN_TYPES.contains(raw.type())) {
            soft.assertThat(field.type()).as(where + "type").isEqualTo(raw.type());
        }
    }

    /** The page's default text as JSON: quoted → string, true/false, numbers, else bare text. */
    private static JsonNode asWritten(String text) {
        if (text.startsWith("\"")) {
            return TextNode.valueOf(text.substring(1, text.length() - 1));
        }
        if (text.equals("true") || text.equals("false")) {
            return BooleanNode.valueOf(Boolean.parseBoolean(text));
        }
        if (text.matches("-?\\d+")) {
            return IntNode.valueOf(Integer.parseInt(text));
        }
        return text.matches("-?\\d+\\.\\d+") ? DoubleNode.valueOf(Double.parseDouble(text)) : TextNode.valueOf(text);
    }

    /** The properties the overrides set on this input field (each override has a why). */
    private Set<String> patchedProperties(String model, String field) {
        return overrides.get(model).inputs().stream()
                .filter(p -> p.fields().contains(field))
                .peek(p -> assertThat(p.why()).isNotBlank())
                .flatMap(CatalogMatchesSeedsTest::propertyNames)
                .collect(Collectors.toSet());
    }

    private static Stream<String> propertyNames(FieldPatch patch) {
        return patch.set().properties().stream().map(Map.Entry::getKey);
    }
}
