package dev.falgate.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.catalog.CatalogOverrides.FieldPatch;
import dev.falgate.catalog.CatalogOverrides.ModelOverride;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/** What the rest of falgate relies on: the catalog loads, every model moves files both ways, etc. */
class CatalogInvariantsTest {
    private static final List<String> IMAGE_EDITORS = List.of(
            "fal-ai/image-editing/background-change", "fal-ai/image-editing/face-enhancement",
            "fal-ai/image-editing/color-correction", "fal-ai/post-processing/sharpen",
            "fal-ai/image-editing/object-removal", "fal-ai/flux/dev/image-to-image",
            "fal-ai/recraft/v3/image-to-image", "fal-ai/luma-photon/modify",
            "fal-ai/bytedance/seededit/v3/edit-image", "fal-ai/flux-pro/kontext/max/multi");
    private static final List<String> MULTIVIEW_TO_3D = List.of(
            "tripo3d/tripo/v2.5/multiview-to-3d", "fal-ai/hunyuan3d/v2/multi-view", "fal-ai/trellis/multi");
    private static final List<String> IMAGE_TO_3D = List.of(
            "tripo3d/tripo/v2.5/image-to-3d", "fal-ai/hunyuan3d-v21", "fal-ai/hyper3d/rodin", "fal-ai/trellis",
            "fal-ai/hunyuan3d/v2", "fal-ai/hunyuan3d/v2/turbo", "fal-ai/triposr", "fal-ai/trellis-2-lora");

    private final Catalog catalog = Catalog.standard();

    @Test
    void theStandardCatalogLoadsAll23ModelsByUniqueId() {
        assertThat(catalog.models()).hasSize(23);
        assertThat(catalog.models()).extracting(ModelSpec::id).doesNotHaveDuplicates();
        catalog.models().forEach(m -> assertThat(catalog.find(m.id())).contains(m));
        assertThat(catalog.models()).allSatisfy(m -> {
            assertThat(m.title()).isNotBlank();
            assertThat(m.description()).isNotBlank();
        });
    }

    @Test
    void categoriesAreExactlyAsAssigned() {
        assertThat(catalog.models().stream().collect(Collectors.groupingBy(ModelSpec::category, Collectors.counting())))
                .containsOnly(entry(Category.IMAGE_EDITING, 10L), entry(Category.IMAGE_TO_3D, 8L),
                        entry(Category.MULTIVIEW_TO_3D, 3L), entry(Category.MULTIVIEW_GENERATION, 1L),
                        entry(Category.SEGMENTATION, 1L));
        assertThat(idsOf(Category.IMAGE_EDITING)).containsExactlyElementsOf(IMAGE_EDITORS);
        assertThat(idsOf(Category.IMAGE_TO_3D)).containsExactlyInAnyOrderElementsOf(IMAGE_TO_3D);
        assertThat(idsOf(Category.MULTIVIEW_TO_3D)).containsExactlyInAnyOrderElementsOf(MULTIVIEW_TO_3D);
        assertThat(idsOf(Category.MULTIVIEW_GENERATION)).containsExactly("fal-ai/era-3d");
        assertThat(idsOf(Category.SEGMENTATION)).containsExactly("fal-ai/image-preprocessors/sam");
    }

    @Test
    void everyModelTakesAndReturnsFiles() {
        assertThat(catalog.models()).allSatisfy(m -> {
            assertThat(m.fileInputs()).as(m.id() + " file inputs").isNotEmpty();
            assertThat(m.fileOutputs()).as(m.id() + " file outputs").isNotEmpty();
        });
    }

    /** falgate refuses sync_mode (outputs stay in its storage): the catalog must not offer it, nor refuse anything else. */
    @Test
    void exactlyTheSyncModeFieldsAreMarkedRefusedWithAReason() {
        assertThat(catalog.models().stream().flatMap(m -> m.inputs().stream()).filter(f -> f.refused() != null))
                .hasSize(7)
                .allSatisfy(f -> assertThat(f.name()).isEqualTo("sync_mode"))
                .allSatisfy(f -> assertThat(f.refused()).contains("its own storage"));
        assertThat(catalog.models().stream().flatMap(m -> m.inputs().stream()).filter(f -> f.name().equals("sync_mode")))
                .allSatisfy(f -> assertThat(f.refused()).isNotNull());
    }

    @Test
    void fileKindsAreConsistent() {
        SoftAssertions soft = new SoftAssertions();
        for (ModelSpec m : catalog.models()) {
            for (FieldSpec f : m.inputs()) {
                soft.assertThat(f.fileKind()).as(m.id() + " " + f.name())
                        .isEqualTo(!f.file() ? null : f.name().endsWith("_lora_url") ? "safetensors" : "image");
                soft.assertThat(!f.file() || f.elementType().equals("string")).as(m.id() + " " + f.name()).isTrue();
            }
            for (OutputField o : m.outputs()) {
                soft.assertThat(o.file()).as(m.id() + " " + o.name()).isEqualTo(List.of("image", "file").contains(o.kind()));
            }
        }
        soft.assertAll();
    }

    @Test
    void everyExampleInputFitsItsModelsSchema() {
        SoftAssertions soft = new SoftAssertions();
        for (ModelSpec m : catalog.models()) {
            m.inputs().stream().filter(FieldSpec::required)
                    .forEach(f -> soft.assertThat(m.example().has(f.name())).as(m.id() + " example has " + f.name()).isTrue());
            m.example().properties().forEach(e -> {
                FieldSpec f = m.input(e.getKey()).orElseThrow();
                soft.assertThat(fits(e.getValue(), f.type())).as(m.id() + " " + f.name() + " is a " + f.type()).isTrue();
                soft.assertThat(f.enumValues() == null || f.enumValues().contains(e.getValue()))
                        .as(m.id() + " " + f.name() + " in its enum").isTrue();
                soft.assertThat(!f.file() || StreamSupport.stream(urls(e.getValue()).spliterator(), false)
                        .allMatch(url -> url.asText().startsWith("https://"))).as(m.id() + " " + f.name() + " URL").isTrue();
            });
        }
        soft.assertAll();
    }

    @Test
    void everyOverrideNamesAnExistingModelAndFieldAndSaysWhy() throws Exception {
        Map<String, ModelSpec> seeds = SeedParser.parseDirectory(RepoPaths.seedsDir()).stream()
                .collect(Collectors.toMap(ModelSpec::id, Function.identity()));
        SoftAssertions soft = new SoftAssertions();
        for (ModelOverride o : CatalogOverrides.standard().models()) {
            soft.assertThat(seeds).as("override model").containsKey(o.model());
            ModelSpec seed = seeds.get(o.model());
            if (seed == null) {
                continue;
            }
            soft.assertThat(o.reasons()).as(o.model() + " reasons").allMatch(why -> why != null && !why.isBlank());
            fieldNames(o.inputs()).forEach(n -> soft.assertThat(seed.input(n)).as(o.model() + " input " + n).isPresent());
            List<String> outputs = seed.outputs().stream().map(OutputField::name).toList();
            fieldNames(o.outputs()).forEach(n -> soft.assertThat(outputs).as(o.model() + " output").contains(n));
            o.rules().forEach(r -> r.fields().forEach(n ->
                    soft.assertThat(seed.input(n)).as(o.model() + " rule " + r.kind() + " names " + n).isPresent()));
            if (o.exampleInput() != null) {
                o.exampleInput().merge().properties().forEach(e ->
                        soft.assertThat(seed.input(e.getKey())).as(o.model() + " example key " + e.getKey()).isPresent());
            }
        }
        soft.assertAll();
    }

    private List<String> idsOf(Category category) {
        return catalog.models().stream().filter(m -> m.category() == category).map(ModelSpec::id).toList();
    }

    private static List<String> fieldNames(List<FieldPatch> patches) {
        return patches.stream().flatMap(p -> p.fields().stream()).toList();
    }

    private static boolean fits(JsonNode value, String type) {
        if (type.startsWith("list<")) {
            String element = type.substring(5, type.length() - 1);
            return value.isArray() && StreamSupport.stream(value.spliterator(), false).allMatch(v -> fits(v, element));
        }
        return switch (type) {
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "float" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "object" -> value.isObject();
            default -> false;
        };
    }

    private static Iterable<JsonNode> urls(JsonNode value) {
        return value.isArray() ? value : List.of(value);
    }
}
