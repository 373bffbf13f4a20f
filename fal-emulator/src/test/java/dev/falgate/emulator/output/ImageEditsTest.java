package dev.falgate.emulator.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.catalog.Catalog;
import dev.falgate.catalog.Category;
import dev.falgate.catalog.ModelSpec;
import dev.falgate.emulator.Json;
import dev.falgate.emulator.image.ImageCodec;
import dev.falgate.emulator.image.ImageFormat;
import dev.falgate.emulator.image.Pixels;
import dev.falgate.emulator.input.InputFile;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every image editor changes the input, keeps its size, and looks unlike every other one. */
class ImageEditsTest {

    @Test
    void editorsAreVisiblyDifferentFromTheInputAndFromEachOther() {
        BufferedImage input = sample();
        byte[] png = ImageCodec.encode(input, ImageFormat.PNG);
        List<ModelSpec> editors = Catalog.standard().models().stream()
                .filter(m -> m.category() == Category.IMAGE_EDITING).toList();
        assertThat(editors).hasSize(10);

        List<Pixels> outputs = new ArrayList<>();
        for (ModelSpec model : editors) {
            Pixels edited = edit(model, png);
            assertThat(edited.width()).isEqualTo(input.getWidth());
            assertThat(edited.height()).isEqualTo(input.getHeight());
            assertThat(meanDifference(edited, Pixels.of(input))).as(model.id()).isGreaterThan(0.5);
            outputs.add(edited);
        }
        for (int i = 0; i < outputs.size(); i++) {
            for (int j = i + 1; j < outputs.size(); j++) {
                assertThat(meanDifference(outputs.get(i), outputs.get(j)))
                        .as(editors.get(i).id() + " vs " + editors.get(j).id())
                        .isGreaterThan(0.5);
            }
        }
    }

    @Test
    void aFlatInputStillComesOutChanged() {
        BufferedImage flat = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        ModelSpec sharpen = Catalog.standard().find("fal-ai/post-processing/sharpen").orElseThrow();

        Pixels edited = edit(sharpen, ImageCodec.encode(flat, ImageFormat.PNG));

        assertThat(edited.sameAs(Pixels.of(flat))).isFalse();
    }

    private static Pixels edit(ModelSpec model, byte[] png) {
        String field = model.fileInputs().get(0).name();
        List<InputFile> files = List.of(
                new InputFile(field, 0, "image", "http://x/a.png", png, "image/png"),
                new InputFile(field, 1, "image", "http://x/b.png", png, "image/png"));
        ObjectNode input = Json.object().put("output_format", "png");
        GenerationContext context = new GenerationContext("r", model, input, files);
        GeneratedFile file = new EditedImages().produce(model.fileOutputs().get(0), context).get(0);
        return Pixels.of(ImageCodec.decode(file.bytes()));
    }

    /** Mean absolute per-channel difference, 0..255. */
    private static double meanDifference(Pixels a, Pixels b) {
        long total = 0;
        for (int i = 0; i < a.size(); i++) {
            int p = a.get(i);
            int q = b.get(i);
            total += Math.abs(Pixels.red(p) - Pixels.red(q))
                    + Math.abs(Pixels.green(p) - Pixels.green(q))
                    + Math.abs(Pixels.blue(p) - Pixels.blue(q));
        }
        return total / (3.0 * a.size());
    }

    private static BufferedImage sample() {
        BufferedImage image = new BufferedImage(80, 60, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(230, 230, 230));
        g.fillRect(0, 0, 80, 60);
        g.setPaint(new GradientPaint(0, 0, new Color(180, 60, 60), 80, 60,
                new Color(60, 60, 180)));
        g.fillRect(20, 10, 40, 40);
        g.setColor(new Color(240, 210, 80));
        g.fillOval(32, 22, 16, 16);
        g.dispose();
        return image;
    }
}
