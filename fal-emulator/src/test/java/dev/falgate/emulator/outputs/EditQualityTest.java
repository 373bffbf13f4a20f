package dev.falgate.emulator.outputs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.catalog.Catalog;
import dev.falgate.catalog.Category;
import dev.falgate.catalog.ModelSpec;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The editors do what they are named for, measured on the downloaded result with statistics
 * computed here: sharpen sharpens, colour correction corrects, and no two editors look alike.
 */
class EditQualityTest {
    private static OutputsFixture fal;

    @BeforeAll
    static void start() {
        fal = new OutputsFixture();
    }

    @AfterAll
    static void stop() {
        fal.close();
    }

    @Test
    void sharpenRaisesTheVarianceOfTheLaplacian() {
        BufferedImage soft = Pictures.soft();

        BufferedImage sharpened = edit("fal-ai/post-processing/sharpen", soft);

        double before = Measures.laplacianVariance(soft);
        double after = Measures.laplacianVariance(sharpened);
        System.out.printf("sharpen: variance of the Laplacian %.1f -> %.1f%n", before, after);
        assertThat(after).as("Laplacian variance after sharpening").isGreaterThan(2 * before);
    }

    @Test
    void colourCorrectionWidensTheTonesAndRemovesTheCast() {
        BufferedImage dull = Pictures.dullAndTinted();

        BufferedImage corrected = edit("fal-ai/image-editing/color-correction", dull);

        double spreadBefore = Measures.lumaSpread(dull);
        double spreadAfter = Measures.lumaSpread(corrected);
        double castBefore = Measures.colourCast(dull);
        double castAfter = Measures.colourCast(corrected);
        System.out.printf("color-correction: luma std dev %.1f -> %.1f, channel-mean spread "
                + "%.1f -> %.1f%n", spreadBefore, spreadAfter, castBefore, castAfter);
        assertThat(spreadAfter).as("luma standard deviation").isGreaterThan(2 * spreadBefore);
        assertThat(castAfter).as("colour cast (max - min channel mean)")
                .isLessThan(castBefore / 2);
    }

    @Test
    void everyEditorChangesTheInputAndNoTwoEditorsAgree() {
        BufferedImage scene = Pictures.scene();
        Map<String, BufferedImage> edited = new LinkedHashMap<>();
        for (ModelSpec model : Catalog.standard().models()) {
            if (model.category() == Category.IMAGE_EDITING) {
                edited.put(model.id(), edit(model.id(), scene));
            }
        }

        assertThat(edited).hasSize(10);
        List<String> ids = List.copyOf(edited.keySet());
        for (int i = 0; i < ids.size(); i++) {
            assertThat(Measures.meanDifference(edited.get(ids.get(i)), scene))
                    .as(ids.get(i) + " vs its input").isGreaterThan(2);
            for (int j = i + 1; j < ids.size(); j++) {
                assertThat(Measures.meanDifference(edited.get(ids.get(i)), edited.get(ids.get(j))))
                        .as(ids.get(i) + " vs " + ids.get(j)).isGreaterThan(2);
            }
        }
    }

    /** Runs an editor on its example input with {@code picture} as the image (PNG out). */
    private static BufferedImage edit(String modelId, BufferedImage picture) {
        ModelSpec model = OutputsFixture.model(modelId);
        String url = fal.inputs.serve(modelId.replace('/', '_') + ".png",
                Pictures.encode(picture, "png"));
        ObjectNode input = fal.exampleInput(model, url);
        if (model.input("output_format").isPresent()) {
            input.put("output_format", "png"); // lossless, so that only the edit is measured
        }
        JsonNode output = fal.run(modelId, input);
        JsonNode image = output.has("images") ? output.get("images").get(0) : output.get("image");
        return Pictures.decode(fal.download(image));
    }
}
