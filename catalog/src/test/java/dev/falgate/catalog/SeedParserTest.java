package dev.falgate.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The three page layouts and the typing rules, on small hand-written pages. */
class SeedParserTest {

    @Test
    void splitLinesLayoutTakesLostOutputNamesFromTheExample() {
        ModelSpec m = single("""
                Era 3D Image to Image
                About
                Run
                fal.subscribe("fal-ai/era-3d", {
                5. Schema#
                Input#
                image_url
                string
                * requiredURL of the image
                steps
                integer
                Number of steps Default value: 40
                {
                "image_url": "https://x/a.png"
                }
                Output#
                Images out
                seed
                integer
                * requiredSeed used
                {
                "images": [{"url": "", "width": 1024}]
                }
                """);
        assertThat(m.id()).isEqualTo("fal-ai/era-3d");
        assertThat(m.title()).isEqualTo("Era 3D Image to Image");
        assertThat(m.description()).isEqualTo("Run");
        assertThat(m.inputs()).containsExactly(
                new FieldSpec("image_url", "string", true, null, null, "URL of the image", false, null),
                new FieldSpec("steps", "integer", false, IntNode.valueOf(40), null, "Number of steps", false, null));
        assertThat(m.outputs()).containsExactly(
                new OutputField("images", "image", true, true, "Images out"),
                new OutputField("seed", "integer", false, false, "Seed used"));
    }

    @Test
    void blocksLayoutReadsHeadersEnumsAndNotes() {
        List<ModelSpec> models = SeedParser.parse("""
                model 1 -- fal-ai/one

                About
                First.
                fal.subscribe("fal-ai/one", {
                5. Schema
                #
                Input
                #
                safety_tolerance SafetyToleranceEnum
                The level. Default value: "2"

                Possible enum values: 1, 2, 3

                Note: API only.

                pbr boolean
                A boolean option to enable pbr.


                {
                  "safety_tolerance": "2"
                }
                Output
                #
                images list<registry__image__fast_sdxl__models__Image>
                timings Timings
                {
                  "images": []
                }
                model 2  -- fal-ai/two
                About
                Second.
                fal.subscribe("fal-ai/two", {
                5. Schema
                Input
                size TextureSizeEnum
                Size

                Possible enum values: 512, 1024
                {}
                Output
                model_mesh File
                {}
                """);
        assertThat(models).extracting(ModelSpec::id).containsExactly("fal-ai/one", "fal-ai/two");
        FieldSpec tolerance = models.get(0).input("safety_tolerance").orElseThrow();
        assertThat(tolerance.type()).isEqualTo("string");
        assertThat(tolerance.defaultValue()).isEqualTo(TextNode.valueOf("2"));
        assertThat(tolerance.enumValues()).containsExactly(TextNode.valueOf("1"), TextNode.valueOf("2"), TextNode.valueOf("3"));
        assertThat(tolerance.description()).isEqualTo("The level. Note: API only.");
        assertThat(models.get(0).input("pbr").orElseThrow().description()).isEqualTo("A boolean option to enable pbr.");
        assertThat(models.get(0).outputs()).containsExactly(
                new OutputField("images", "image", true, true, null),
                new OutputField("timings", "object", false, false, null));
        FieldSpec size = models.get(1).input("size").orElseThrow();
        assertThat(size.type()).isEqualTo("integer");
        assertThat(size.enumValues()).containsExactly(IntNode.valueOf(512), IntNode.valueOf(1024));
        assertThat(models.get(1).outputs()).containsExactly(new OutputField("model_mesh", "file", false, true, null));
    }

    @Test
    void oneLineLayoutSplitsTypeFromGluedDescription() {
        ModelSpec m = single("""
                fal-ai/glued
                About
                Inference
                fal.subscribe("fal-ai/glued", {
                5. Schema#
                Input#
                image_url\u00A0 string* requiredURL of the input image.
                resolution\u00A0 ResolutionEnumGeneration resolution. Default value: "512"
                Possible enum values: 512, 1024
                seed\u00A0 integerRandom seed.
                {
                "image_url": ""
                }Output#
                Generated GLB.
                seed\u00A0 integer* requiredSeed used.
                {
                "model_glb": {"url": ""}
                }Other types#
                """);
        assertThat(m.title()).isNull();
        assertThat(m.inputs()).extracting(FieldSpec::name, FieldSpec::type, FieldSpec::required).containsExactly(
                tuple("image_url", "string", true),
                tuple("resolution", "string", false),
                tuple("seed", "integer", false));
        assertThat(m.input("resolution").orElseThrow().description()).isEqualTo("Generation resolution.");
        assertThat(m.outputs()).extracting(OutputField::name).containsExactly("model_glb", "seed");
        assertThat(m.outputs().get(0).kind()).isEqualTo("file");
    }

    @Test
    void defaultsAreTypedAsWritten() {
        assertThat(SeedParser.parseDefault("\"2\"")).isEqualTo(TextNode.valueOf("2"));
        assertThat(SeedParser.parseDefault("\"\"")).isEqualTo(TextNode.valueOf(""));
        assertThat(SeedParser.parseDefault("4")).isEqualTo(IntNode.valueOf(4));
        assertThat(SeedParser.parseDefault("0.95")).isEqualTo(DoubleNode.valueOf(0.95));
        assertThat(SeedParser.parseDefault("true")).isEqualTo(BooleanNode.TRUE);
        assertThat(SeedParser.parseDefault("original_image")).isEqualTo(TextNode.valueOf("original_image"));
    }

    @Test
    void aPageMissingItsSchemaFailsNamingTheModel() {
        assertThatThrownBy(() -> SeedParser.parse("fal.subscribe(\"fal-ai/x\", {\nno schema here"))
                .hasMessageContaining("fal-ai/x").hasMessageContaining("Schema");
    }

    private static ModelSpec single(String page) {
        List<ModelSpec> models = SeedParser.parse(page);
        assertThat(models).hasSize(1);
        return models.get(0);
    }
}
