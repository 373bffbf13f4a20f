package dev.falgate.emulator.output;

import dev.falgate.catalog.OutputField;
import dev.falgate.emulator.image.ImageFormat;
import dev.falgate.emulator.image.ImageOps;
import dev.falgate.emulator.image.Pixels;
import java.util.ArrayList;
import java.util.List;

/**
 * Image editors: the input edited at its own size, {@code num_images} variants for list
 * fields, encoded as {@code output_format} asks (the catalog default, else PNG).
 */
final class EditedImages implements FileProducer {
    private static final int MAX_IMAGES = 8;

    @Override
    public List<GeneratedFile> produce(OutputField field, GenerationContext context) {
        List<Pixels> inputs = context.images().stream().map(s -> Pixels.of(s.image())).toList();
        Pixels edited = ImageEdits.apply(inputs, context);
        ImageFormat format = ImageFormat.fromParameter(context.text("output_format", null))
                .orElse(ImageFormat.PNG);
        int count = field.list() ? Math.min(MAX_IMAGES, Math.max(1,
                context.integer("num_images", 1))) : 1;
        List<GeneratedFile> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // later variants differ a little, as separate samples would
            Pixels variant = i == 0 ? edited : ImageOps.contrast(edited, 1 + 0.06 * i);
            files.add(GeneratedFile.image(variant.toImage(), format));
        }
        return files;
    }
}
