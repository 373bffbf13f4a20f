package dev.falgate.emulator.outputs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.catalog.Catalog;
import dev.falgate.catalog.FieldSpec;
import dev.falgate.catalog.ModelSpec;
import dev.falgate.emulator.outputs.OutputsFixture.DataUri;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The inputs that shape outputs are honoured: num_images, output_format, sync_mode,
 * texture_size, the 3D models' file formats, Era3D's views and SAM's map.
 */
class OutputOptionsTest {
    private static OutputsFixture fal;
    private static String inputUrl;

    @BeforeAll
    static void start() {
        fal = new OutputsFixture();
        inputUrl = fal.inputs.serve("scene.png", Pictures.encode(Pictures.scene(), "png"));
    }

    @AfterAll
    static void stop() {
        fal.close();
    }

    static Stream<String> modelsWithInput(String name) {
        return modelsWith(field -> field.name().equals(name));
    }

    private static Stream<String> modelsWith(Predicate<FieldSpec> input) {
        return Catalog.standard().models().stream()
                .filter(m -> m.inputs().stream().anyMatch(input))
                .map(ModelSpec::id);
    }

    static Stream<String> numImagesModels() {
        return modelsWithInput("num_images");
    }

    static Stream<String> syncModeModels() {
        return modelsWithInput("sync_mode");
    }

    static Stream<String> textureSizeModels() {
        return modelsWithInput("texture_size");
    }

    static Stream<String> tripoModels() {
        return modelsWithInput("quad");
    }

    static Stream<Arguments> rasterOutputFormats() {
        return modelsWith(field -> field.name().equals("output_format")
                && field.enumValues().stream().anyMatch(v -> v.asText().equals("png")))
                .flatMap(id -> Stream.of(Arguments.of(id, "png", FileFormat.PNG),
                        Arguments.of(id, "jpeg", FileFormat.JPEG)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("numImagesModels")
    void numImagesThreeGivesThreeDistinctImages(String modelId) {
        JsonNode output = run(modelId, input -> input.put("num_images", 3));

        JsonNode images = output.get("images");
        assertThat(images).as(modelId).hasSize(3);
        Set<ByteBuffer> distinct = new HashSet<>();
        for (JsonNode image : images) {
            byte[] bytes = fal.download(image);
            FileChecks.assertValid(FileFormat.declaredBy(image), bytes, modelId);
            distinct.add(ByteBuffer.wrap(bytes));
        }
        assertThat(distinct).as(modelId + " three different samples").hasSize(3);
        if (output.has("has_nsfw_concepts")) {
            assertThat(output.get("has_nsfw_concepts")).as(modelId + " flags").hasSize(3);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("rasterOutputFormats")
    void outputFormatChoosesTheEncoding(String modelId, String format, FileFormat expected) {
        JsonNode image = run(modelId, input -> input.put("output_format", format))
                .get("images").get(0);

        assertThat(FileFormat.declaredBy(image)).as(modelId + " content_type").isEqualTo(expected);
        FileChecks.assertValid(expected, fal.download(image), modelId + " " + format);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("syncModeModels")
    void syncModeReturnsFilesAsDataUris(String modelId) {
        JsonNode output = run(modelId, input -> input.put("sync_mode", true));

        assertThat(OutputSchemas.violations(modelId, output)).isEmpty();
        for (OutputSchemas.FileField field : OutputSchemas.fileFields(modelId)) {
            for (JsonNode file : field.list() ? output.get(field.name())
                    : List.of(output.get(field.name()))) {
                DataUri data = DataUri.parse(file.get("url").asText());
                assertThat(data.mediaType()).isEqualTo(file.get("content_type").asText());
                FileChecks.assertValid(FileFormat.declaredBy(file), fal.download(file), modelId);
            }
        }
    }

    /** The smallest size each model offers, so that the check is not the default. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("textureSizeModels")
    void textureSizeSetsTheSizeOfTheTextureInsideTheGlb(String modelId) {
        int size = OutputsFixture.model(modelId).input("texture_size").orElseThrow().enumValues()
                .stream().mapToInt(JsonNode::asInt).min().orElseThrow();

        JsonNode output = run(modelId, input -> input.put("texture_size", size));

        JsonNode glbFile = output.has("model_glb") ? output.get("model_glb")
                : output.get("model_mesh");
        GlbCheck glb = GlbCheck.parse(fal.download(glbFile), modelId);
        assertThat(glb.images()).as(modelId).isNotEmpty().allSatisfy(texture -> {
            assertThat(texture.getWidth()).as(modelId + " texture width").isEqualTo(size);
            assertThat(texture.getHeight()).as(modelId + " texture height").isEqualTo(size);
        });
        if (output.has("texture_size")) {
            assertThat(output.get("texture_size").asInt()).isEqualTo(size);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"glb", "usdz", "fbx", "obj", "stl"})
    void rodinWritesTheGeometryFileFormatAsked(String format) {
        JsonNode mesh = run("fal-ai/hyper3d/rodin",
                input -> input.put("geometry_file_format", format)).get("model_mesh");

        assertThat(mesh.get("file_name").asText()).endsWith("." + format);
        FileFormat declared = FileFormat.declaredBy(mesh);
        assertThat(declared.name()).isEqualToIgnoringCase(format);
        FileChecks.assertValid(declared, fal.download(mesh), "rodin " + format);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tripoModels")
    void tripoQuadMeshesComeAsFbx(String modelId) {
        JsonNode mesh = run(modelId, input -> input.put("quad", true)).get("model_mesh");

        assertThat(FileFormat.declaredBy(mesh)).isEqualTo(FileFormat.FBX);
        FileChecks.assertValid(FileFormat.FBX, fal.download(mesh), modelId + " quad");
    }

    @Test
    void triposrWritesObjWhenAsked() {
        JsonNode mesh = run("fal-ai/triposr", input -> input.put("output_format", "obj"))
                .get("model_mesh");

        assertThat(FileFormat.declaredBy(mesh)).isEqualTo(FileFormat.OBJ);
        FileChecks.assertValid(FileFormat.OBJ, fal.download(mesh), "triposr obj");
    }

    /** Era3D: six views (its azimuths) and a unit-length normal map per view, crop_size square. */
    @Test
    void era3dReturnsSixViewsAndSixNormalMaps() {
        int cropSize = 256;
        JsonNode output = run("fal-ai/era-3d", input -> input.put("crop_size", cropSize));

        assertThat(output.get("images")).hasSize(6);
        assertThat(output.get("normal_images")).hasSize(6);
        for (JsonNode file : output.get("images")) {
            assertSquarePng(file, cropSize);
        }
        for (JsonNode file : output.get("normal_images")) {
            BufferedImage normals = assertSquarePng(file, cropSize);
            assertThat(meanNormalLengthError(normals)).as("normal map |n| - 1").isLessThan(0.05);
        }
    }

    @Test
    void samReturnsASegmentationMapOfTheInputsSize() {
        JsonNode image = run("fal-ai/image-preprocessors/sam", input -> { }).get("image");

        BufferedImage map = Pictures.decode(fal.download(image));
        assertThat(FileFormat.declaredBy(image)).isEqualTo(FileFormat.PNG);
        assertThat(map.getWidth()).isEqualTo(Pictures.WIDTH);
        assertThat(map.getHeight()).isEqualTo(Pictures.HEIGHT);
        assertThat(distinctColours(map)).as("a few flat regions, not a photo").isBetween(2, 65);
    }

    private static BufferedImage assertSquarePng(JsonNode file, int size) {
        assertThat(FileFormat.declaredBy(file)).isEqualTo(FileFormat.PNG);
        BufferedImage image = Pictures.decode(fal.download(file));
        assertThat(image.getWidth()).isEqualTo(size);
        assertThat(image.getHeight()).isEqualTo(size);
        return image;
    }

    /** Mean | |n| - 1 | over the opaque pixels, n decoded as 2 * rgb / 255 - 1. */
    private static double meanNormalLengthError(BufferedImage normals) {
        double total = 0;
        int count = 0;
        for (int y = 0; y < normals.getHeight(); y++) {
            for (int x = 0; x < normals.getWidth(); x++) {
                int p = normals.getRGB(x, y);
                if ((p >>> 24) < 255) {
                    continue;
                }
                double nx = ((p >> 16) & 0xFF) / 127.5 - 1;
                double ny = ((p >> 8) & 0xFF) / 127.5 - 1;
                double nz = (p & 0xFF) / 127.5 - 1;
                total += Math.abs(Math.sqrt(nx * nx + ny * ny + nz * nz) - 1);
                count++;
            }
        }
        assertThat(count).as("opaque (subject) pixels").isPositive();
        return total / count;
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    /** Runs the model on its example input, changed by {@code adjust}. */
    private static JsonNode run(String modelId, Consumer<ObjectNode> adjust) {
        ObjectNode input = fal.exampleInput(OutputsFixture.model(modelId), inputUrl);
        adjust.accept(input);
        return fal.run(modelId, input);
    }
}
