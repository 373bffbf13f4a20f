package dev.falgate.emulator.output;

import dev.falgate.emulator.image.ImageCodec;
import dev.falgate.emulator.image.ImageOps;
import dev.falgate.emulator.image.Pixels;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;

/**
 * What each image editor does to its input, so that every model's output is visibly its own:
 * real (if simple) versions of what the model is for, a colour change for the generic ones.
 */
final class ImageEdits {

    /** An edit of the first input (the others are extra references, e.g. for Kontext multi). */
    @FunctionalInterface
    interface ImageEdit {
        Pixels apply(List<Pixels> inputs, GenerationContext context);
    }

    private static final int BACKGROUND_TOLERANCE = 40;
    /** Smoothed skin and a gentle lift of the mid-tones, as portrait retouching does. */
    private static final double FACE_GAMMA = 0.85;

    private static final Map<String, ImageEdit> BY_MODEL = Map.ofEntries(
            Map.entry("fal-ai/image-editing/background-change", ImageEdits::changeBackground),
            Map.entry("fal-ai/image-editing/face-enhancement",
                    (in, ctx) -> ImageOps.brighten(ImageOps.smooth(in.get(0), 0.7),
                            FACE_GAMMA)),
            Map.entry("fal-ai/image-editing/color-correction",
                    (in, ctx) -> ImageOps.autoLevels(in.get(0))),
            Map.entry("fal-ai/post-processing/sharpen",
                    (in, ctx) -> ImageOps.sharpen(in.get(0), ctx.number("sharpen_alpha", 1))),
            Map.entry("fal-ai/image-editing/object-removal", ImageEdits::removeCentralObject),
            Map.entry("fal-ai/flux/dev/image-to-image", (in, ctx) -> ImageOps.tint(in.get(0),
                    0xFF9933, 0.35 * ctx.number("strength", 0.95))),
            Map.entry("fal-ai/recraft/v3/image-to-image", (in, ctx) -> ImageOps.contrast(in.get(0),
                    1.2 + ctx.number("strength", 0.5))),
            Map.entry("fal-ai/luma-photon/modify", (in, ctx) -> ImageOps.hueShift(in.get(0),
                    (float) (40 + 100 * ctx.number("strength", 0.8)))),
            Map.entry("fal-ai/bytedance/seededit/v3/edit-image", (in, ctx) -> ImageOps.tint(
                    ImageOps.posterize(in.get(0), 5), 0x3366CC, 0.2)),
            Map.entry("fal-ai/flux-pro/kontext/max/multi", ImageEdits::composeReferences));

    /** Models added to the catalog later still get a visible (hue) edit. */
    private static final ImageEdit FALLBACK = (in, ctx) -> ImageOps.hueShift(in.get(0), 180);

    private ImageEdits() {
    }

    static Pixels apply(List<Pixels> inputs, GenerationContext context) {
        Pixels edited = BY_MODEL.getOrDefault(context.model().id(), FALLBACK)
                .apply(inputs, context);
        return ImageOps.ensureDiffers(inputs.get(0), edited);
    }

    /** Near-border-coloured pixels connected to the border become a sunset gradient. */
    private static Pixels changeBackground(List<Pixels> inputs, GenerationContext context) {
        Pixels src = inputs.get(0);
        boolean[] background = ImageOps.backgroundMask(src, BACKGROUND_TOLERANCE);
        double height = Math.max(1, src.height() - 1);
        return ImageOps.fillMasked(src, background, (x, y) -> Pixels.argb(255,
                (int) (255 - 60 * y / height), (int) (150 - 90 * y / height),
                (int) (60 + 110 * y / height)));
    }

    /** The central third of the picture is filled in from its surroundings. */
    private static Pixels removeCentralObject(List<Pixels> inputs, GenerationContext context) {
        Pixels src = inputs.get(0);
        int w = src.width();
        int h = src.height();
        return ImageOps.inpaintBox(src, w / 3, h / 3, Math.max(w / 3 + 1, 2 * w / 3),
                Math.max(h / 3 + 1, 2 * h / 3));
    }

    /** The first image with the other references inset down its right edge. */
    private static Pixels composeReferences(List<Pixels> inputs, GenerationContext context) {
        BufferedImage canvas = inputs.get(0).toImage();
        Graphics2D g = canvas.createGraphics();
        int insetWidth = Math.max(1, canvas.getWidth() / 4);
        int y = 0;
        for (Pixels reference : inputs.subList(1, inputs.size())) {
            int insetHeight = Math.max(1, reference.height() * insetWidth / reference.width());
            g.drawImage(ImageCodec.resize(reference.toImage(), insetWidth, insetHeight),
                    canvas.getWidth() - insetWidth, y, null);
            y += insetHeight;
        }
        g.dispose();
        return ImageOps.tint(Pixels.of(canvas), 0xFFCC88, 0.12);
    }
}
