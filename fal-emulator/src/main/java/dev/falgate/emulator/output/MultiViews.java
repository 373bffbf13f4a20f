package dev.falgate.emulator.output;

import dev.falgate.catalog.OutputField;
import dev.falgate.emulator.image.ImageFormat;
import dev.falgate.emulator.image.ImageOps;
import dev.falgate.emulator.image.Pixels;
import dev.falgate.emulator.image.ViewRenderer;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Multi-view generation (Era3D): the subject seen from six azimuths, square views of
 * {@code crop_size}, and their normal maps for fields named like {@code normal_images}.
 */
final class MultiViews implements FileProducer {
    /** Era3D's views: front, front-right, right, back, left, front-left. */
    private static final double[] AZIMUTHS = {0, 45, 90, 180, 270, 315};
    private static final int BACKGROUND_TOLERANCE = 40;

    @Override
    public List<GeneratedFile> produce(OutputField field, GenerationContext context) {
        int size = Math.min(1024, Math.max(64, context.integer("crop_size", 512)));
        boolean removeBackground = context.flag("background_removal", true);
        BufferedImage subject = context.memo("subject", () -> subject(context, removeBackground));
        Color background = removeBackground ? null : Color.WHITE;
        boolean normals = field.name().contains("normal");
        int count = field.list() ? AZIMUTHS.length : 1;
        return IntStream.range(0, count)
                .mapToObj(i -> normals
                        ? ViewRenderer.normalView(subject, AZIMUTHS[i], size, background)
                        : ViewRenderer.view(subject, AZIMUTHS[i], size, background))
                .map(view -> GeneratedFile.image(view, ImageFormat.PNG))
                .toList();
    }

    private static BufferedImage subject(GenerationContext context, boolean removeBackground) {
        Pixels source = Pixels.of(context.primaryImage().image());
        if (!removeBackground) {
            return source.toImage();
        }
        boolean[] background = ImageOps.backgroundMask(source, BACKGROUND_TOLERANCE);
        if (mostlyTrue(background)) {
            return source.toImage(); // no separable subject: keep the whole picture
        }
        return ImageOps.fillMasked(source, background, (x, y) -> 0).toImage();
    }

    private static boolean mostlyTrue(boolean[] mask) {
        int set = 0;
        for (boolean b : mask) {
            set += b ? 1 : 0;
        }
        return set > mask.length * 0.95;
    }
}
