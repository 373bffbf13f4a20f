package dev.falgate.emulator.outputs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.catalog.Catalog;
import dev.falgate.catalog.Category;
import dev.falgate.catalog.ModelSpec;
import dev.falgate.emulator.outputs.OutputSchemas.FileField;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each of the 23 models, run on its seed page's example input (image URLs swapped for a local
 * 120x80 PNG): the result conforms to the schema written by hand from the seed page, every
 * file field that schema lists is there, and every file is what it claims to be.
 */
class SeedSchemaConformanceTest {
    /** Mean channel difference (0..255) under which a texture counts as the input picture. */
    private static final double SAME_PICTURE = 10;

    private static OutputsFixture fal;
    private static BufferedImage input;
    private static String inputUrl;

    @BeforeAll
    static void start() {
        fal = new OutputsFixture();
        input = Pictures.scene();
        inputUrl = fal.inputs.serve("scene.png", Pictures.encode(input, "png"));
    }

    @AfterAll
    static void stop() {
        fal.close();
    }

    static Stream<String> modelIds() {
        return Catalog.standard().models().stream().map(ModelSpec::id);
    }

    @Test
    void thereIsOneMetaSchemaValidSchemaPerCatalogModel() throws IOException, URISyntaxException {
        List<String> ids = modelIds().toList();
        Path folder = Path.of(SeedSchemaConformanceTest.class.getResource("/schemas").toURI());
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(f -> "/schemas/" + f.getFileName()))
                    .containsExactlyInAnyOrderElementsOf(
                            ids.stream().map(OutputSchemas::resourceName).toList());
        }
        assertThat(ids).hasSize(23).allSatisfy(id -> assertThat(
                OutputSchemas.metaSchemaViolations(id)).as(id).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modelIds")
    void exampleInputGivesAnOutputTrueToTheSeedSchema(String modelId) {
        ModelSpec model = OutputsFixture.model(modelId);

        JsonNode output = fal.run(modelId, fal.exampleInput(model, inputUrl));

        assertThat(OutputSchemas.violations(modelId, output)).as(output.toPrettyString())
                .isEmpty();
        for (FileField field : OutputSchemas.fileFields(modelId)) {
            JsonNode value = output.get(field.name());
            assertThat(value).as(modelId + " returns the schema's file field " + field.name())
                    .isNotNull();
            for (JsonNode file : field.list() ? value : List.of(value)) {
                checkFile(model, field, file);
            }
        }
    }

    private static void checkFile(ModelSpec model, FileField field, JsonNode file) {
        String where = model.id() + " ." + field.name();
        FileFormat format = FileFormat.declaredBy(file);
        byte[] bytes = fal.download(file);
        FileChecks.assertValid(format, bytes, where);
        if (field.sized()) {
            assertThat(file.has("width") && file.has("height")).as(where + " width/height")
                    .isTrue();
        }
        if (format.isRaster()) {
            checkImage(model, file, Pictures.decode(bytes), where);
        } else if (format == FileFormat.GLB) {
            checkTexturedWithInput(model, GlbCheck.parse(bytes, where), where);
        } else if (format == FileFormat.ZIP) {
            assertThat(FileChecks.zipEntries(bytes, where)).as(where + " archive")
                    .anyMatch(name -> name.matches(".*\\.(obj|glb|fbx|usd[ac]?)"))
                    .anyMatch(name -> name.matches(".*\\.(png|jpe?g)"));
        }
    }

    private static void checkImage(ModelSpec model, JsonNode file, BufferedImage image,
            String where) {
        if (file.has("width")) {
            assertThat(image.getWidth()).as(where + " decoded width")
                    .isEqualTo(file.get("width").asInt());
            assertThat(image.getHeight()).as(where + " decoded height")
                    .isEqualTo(file.get("height").asInt());
        }
        if (model.category() == Category.IMAGE_EDITING
                || model.category() == Category.SEGMENTATION) {
            assertThat(image.getWidth()).as(where + " width = input's").isEqualTo(Pictures.WIDTH);
            assertThat(image.getHeight()).as(where + " height = input's")
                    .isEqualTo(Pictures.HEIGHT);
            assertThat(Measures.meanDifference(image, input)).as(where + " differs from input")
                    .isGreaterThan(1);
        }
    }

    /**
     * The mesh carries the input picture as its texture: at {@code texture_size} when the
     * model takes one, else at the input's own size.
     */
    private static void checkTexturedWithInput(ModelSpec model, GlbCheck glb, String where) {
        assertThat(glb.images()).as(where + " embedded textures").isNotEmpty();
        BufferedImage texture = glb.images().get(0);
        JsonNode textureSize = model.example().path("texture_size");
        int width = textureSize.isMissingNode() ? Pictures.WIDTH : textureSize.asInt();
        int height = textureSize.isMissingNode() ? Pictures.HEIGHT : textureSize.asInt();
        assertThat(texture.getWidth()).as(where + " texture width").isEqualTo(width);
        assertThat(texture.getHeight()).as(where + " texture height").isEqualTo(height);
        assertThat(Measures.meanDifference(Pictures.resize(texture, Pictures.WIDTH,
                Pictures.HEIGHT), input)).as(where + " texture is the input picture")
                .isLessThan(SAME_PICTURE);
    }
}
