package dev.falgate.emulator.image;

import static dev.falgate.emulator.image.Pixels.alpha;
import static dev.falgate.emulator.image.Pixels.argb;
import static dev.falgate.emulator.image.Pixels.blue;
import static dev.falgate.emulator.image.Pixels.green;
import static dev.falgate.emulator.image.Pixels.red;

import java.awt.Color;
import java.util.ArrayDeque;
import java.util.function.IntUnaryOperator;

/**
 * Small, real image operations. Each returns a new buffer of the same size; alpha is kept.
 * They stand in for the models' edits: cheap, deterministic and visibly different.
 */
public final class ImageOps {
    private static final float[] BOX_3X3 = {
        1 / 9f, 1 / 9f, 1 / 9f, 1 / 9f, 1 / 9f, 1 / 9f, 1 / 9f, 1 / 9f, 1 / 9f};

    private ImageOps() {
    }

    public static Pixels map(Pixels src, IntUnaryOperator perPixel) {
        Pixels out = src.copy();
        for (int i = 0; i < out.size(); i++) {
            out.set(i, perPixel.applyAsInt(src.get(i)));
        }
        return out;
    }

    public static Pixels convolve3x3(Pixels src, float[] kernel) {
        Pixels out = new Pixels(src.width(), src.height());
        for (int y = 0; y < src.height(); y++) {
            for (int x = 0; x < src.width(); x++) {
                out.set(y * src.width() + x, convolveAt(src, x, y, kernel));
            }
        }
        return out;
    }

    private static int convolveAt(Pixels src, int x, int y, float[] kernel) {
        float r = 0;
        float g = 0;
        float b = 0;
        for (int j = -1; j <= 1; j++) {
            for (int i = -1; i <= 1; i++) {
                int p = src.at(x + i, y + j);
                float w = kernel[(j + 1) * 3 + (i + 1)];
                r += w * red(p);
                g += w * green(p);
                b += w * blue(p);
            }
        }
        return argb(alpha(src.at(x, y)), (int) r, (int) g, (int) b);
    }

    /** Laplacian sharpening: centre weight 1+4a, the four neighbours -a. */
    public static Pixels sharpen(Pixels src, double amount) {
        float a = (float) amount;
        return convolve3x3(src, new float[] {0, -a, 0, -a, 1 + 4 * a, -a, 0, -a, 0});
    }

    /** A 3x3 box blur mixed into the original by {@code strength} (0..1). */
    public static Pixels smooth(Pixels src, double strength) {
        return mix(src, convolve3x3(src, BOX_3X3), strength);
    }

    public static Pixels mix(Pixels a, Pixels b, double t) {
        Pixels out = a.copy();
        for (int i = 0; i < out.size(); i++) {
            int p = a.get(i);
            int q = b.get(i);
            out.set(i, argb(alpha(p), lerp(red(p), red(q), t), lerp(green(p), green(q), t),
                    lerp(blue(p), blue(q), t)));
        }
        return out;
    }

    /** Stretches each channel so its 0.5th..99.5th percentiles span 0..255. */
    public static Pixels autoLevels(Pixels src) {
        int[][] range = {percentileRange(src, 16), percentileRange(src, 8), percentileRange(src, 0)};
        return map(src, p -> argb(alpha(p), stretch(red(p), range[0]), stretch(green(p), range[1]),
                stretch(blue(p), range[2])));
    }

    private static int[] percentileRange(Pixels src, int shift) {
        int[] histogram = new int[256];
        for (int i = 0; i < src.size(); i++) {
            histogram[(src.get(i) >> shift) & 0xFF]++;
        }
        int cut = src.size() / 200;
        return new int[] {firstAbove(histogram, cut, 0, 1), firstAbove(histogram, cut, 255, -1)};
    }

    private static int firstAbove(int[] histogram, int cut, int start, int step) {
        int seen = 0;
        for (int v = start; v >= 0 && v <= 255; v += step) {
            seen += histogram[v];
            if (seen > cut) {
                return v;
            }
        }
        return start;
    }

    private static int stretch(int v, int[] range) {
        if (range[1] <= range[0]) {
            return v;
        }
        return Pixels.clamp((v - range[0]) * 255.0 / (range[1] - range[0]));
    }

    /**
     * Background as a flood fill from the border through pixels close to the border's mean
     * colour (transparent pixels always count): what a simple matting step would find.
     */
    public static boolean[] backgroundMask(Pixels src, int tolerance) {
        return new BackgroundFill(src, borderMean(src), tolerance).run();
    }

    /** Breadth-first fill state for {@link #backgroundMask}. */
    private static final class BackgroundFill {
        private final Pixels src;
        private final int reference;
        private final int tolerance;
        private final boolean[] mask;
        private final ArrayDeque<Integer> todo = new ArrayDeque<>();

        BackgroundFill(Pixels src, int reference, int tolerance) {
            this.src = src;
            this.reference = reference;
            this.tolerance = tolerance;
            this.mask = new boolean[src.size()];
        }

        boolean[] run() {
            int w = src.width();
            int h = src.height();
            for (int x = 0; x < w; x++) {
                visit(x, 0);
                visit(x, h - 1);
            }
            for (int y = 0; y < h; y++) {
                visit(0, y);
                visit(w - 1, y);
            }
            while (!todo.isEmpty()) {
                int i = todo.poll();
                visit(i % w - 1, i / w);
                visit(i % w + 1, i / w);
                visit(i % w, i / w - 1);
                visit(i % w, i / w + 1);
            }
            return mask;
        }

        private void visit(int x, int y) {
            if (x < 0 || y < 0 || x >= src.width() || y >= src.height()) {
                return;
            }
            int i = y * src.width() + x;
            int p = src.get(i);
            if (!mask[i] && (alpha(p) < 16 || distance(p, reference) <= tolerance)) {
                mask[i] = true;
                todo.add(i);
            }
        }
    }

    private static int borderMean(Pixels src) {
        long[] sum = new long[3];
        int w = src.width();
        int h = src.height();
        for (int x = 0; x < w; x++) {
            add(sum, src.at(x, 0));
            add(sum, src.at(x, h - 1));
        }
        for (int y = 0; y < h; y++) {
            add(sum, src.at(0, y));
            add(sum, src.at(w - 1, y));
        }
        long n = 2L * (w + h);
        return argb(255, (int) (sum[0] / n), (int) (sum[1] / n), (int) (sum[2] / n));
    }

    private static void add(long[] sum, int p) {
        sum[0] += red(p);
        sum[1] += green(p);
        sum[2] += blue(p);
    }

    private static int distance(int p, int q) {
        return Math.max(Math.abs(red(p) - red(q)),
                Math.max(Math.abs(green(p) - green(q)), Math.abs(blue(p) - blue(q))));
    }

    /** Replaces masked pixels with {@code fill(x, y)} (an opaque ARGB value). */
    public static Pixels fillMasked(Pixels src, boolean[] mask, PixelSource fill) {
        Pixels out = src.copy();
        for (int i = 0; i < out.size(); i++) {
            if (mask[i]) {
                out.set(i, fill.at(i % src.width(), i / src.width()));
            }
        }
        return out;
    }

    /** A colour per coordinate. */
    @FunctionalInterface
    public interface PixelSource {
        int at(int x, int y);
    }

    /**
     * Fills the box [x0,x1) x [y0,y1) from its surroundings: each pixel is the
     * inverse-distance blend of the four pixels just outside the box in its row and column.
     */
    public static Pixels inpaintBox(Pixels src, int x0, int y0, int x1, int y1) {
        Pixels out = src.copy();
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int[] around = {src.at(x0 - 1, y), src.at(x1, y), src.at(x, y0 - 1), src.at(x, y1)};
                double[] weights = {1.0 / (x - x0 + 1), 1.0 / (x1 - x), 1.0 / (y - y0 + 1),
                    1.0 / (y1 - y)};
                out.set(y * src.width() + x, blend(around, weights, alpha(src.at(x, y))));
            }
        }
        return out;
    }

    private static int blend(int[] colours, double[] weights, int alpha) {
        double r = 0;
        double g = 0;
        double b = 0;
        double total = 0;
        for (int k = 0; k < colours.length; k++) {
            r += weights[k] * red(colours[k]);
            g += weights[k] * green(colours[k]);
            b += weights[k] * blue(colours[k]);
            total += weights[k];
        }
        return argb(alpha, Pixels.clamp(r / total), Pixels.clamp(g / total),
                Pixels.clamp(b / total));
    }

    /** Moves every pixel towards {@code rgb} by {@code strength} (0..1). */
    public static Pixels tint(Pixels src, int rgb, double strength) {
        return map(src, p -> argb(alpha(p), lerp(red(p), red(rgb), strength),
                lerp(green(p), green(rgb), strength), lerp(blue(p), blue(rgb), strength)));
    }

    public static Pixels contrast(Pixels src, double factor) {
        return map(src, p -> argb(alpha(p), (int) ((red(p) - 128) * factor + 128),
                (int) ((green(p) - 128) * factor + 128), (int) ((blue(p) - 128) * factor + 128)));
    }

    public static Pixels hueShift(Pixels src, float degrees) {
        float shift = degrees / 360f;
        return map(src, p -> {
            float[] hsb = Color.RGBtoHSB(red(p), green(p), blue(p), null);
            // grey pixels have no hue to turn; give them a little so they change too
            float saturation = Math.max(hsb[1], 0.25f);
            int rgb = Color.HSBtoRGB(hsb[0] + shift, saturation, hsb[2]);
            return (alpha(p) << 24) | (rgb & 0xFFFFFF);
        });
    }

    /** A gamma curve: {@code gamma} below 1 lifts the mid-tones, black and white stay. */
    public static Pixels brighten(Pixels src, double gamma) {
        int[] curve = new int[256];
        for (int v = 0; v < 256; v++) {
            curve[v] = Pixels.clamp(255 * Math.pow(v / 255.0, gamma));
        }
        return map(src, p -> argb(alpha(p), curve[red(p)], curve[green(p)], curve[blue(p)]));
    }

    public static Pixels posterize(Pixels src, int levels) {
        double step = 255.0 / (levels - 1);
        IntUnaryOperator quantize = v -> Pixels.clamp(Math.round(v / step) * step);
        return map(src, p -> argb(alpha(p), quantize.applyAsInt(red(p)),
                quantize.applyAsInt(green(p)), quantize.applyAsInt(blue(p))));
    }

    /**
     * Guarantees an edit is visible: if it left every pixel as it was (a flat or already
     * perfect input), nudges each channel 8 levels towards mid-grey.
     */
    public static Pixels ensureDiffers(Pixels original, Pixels edited) {
        if (!edited.sameAs(original)) {
            return edited;
        }
        IntUnaryOperator nudge = v -> v > 127 ? v - 8 : v + 8;
        return map(edited, p -> argb(alpha(p), nudge.applyAsInt(red(p)),
                nudge.applyAsInt(green(p)), nudge.applyAsInt(blue(p))));
    }

    /**
     * A segmentation map: colours quantised to 64 classes, each painted a distinct vivid
     * colour, with black boundaries between regions.
     */
    public static Pixels segmentationMap(Pixels src) {
        int w = src.width();
        int[] classes = new int[src.size()];
        for (int i = 0; i < classes.length; i++) {
            int p = src.get(i);
            classes[i] = ((red(p) >> 6) << 4) | ((green(p) >> 6) << 2) | (blue(p) >> 6);
        }
        Pixels out = new Pixels(w, src.height());
        for (int i = 0; i < classes.length; i++) {
            boolean edge = (i % w < w - 1 && classes[i + 1] != classes[i])
                    || (i + w < classes.length && classes[i + w] != classes[i]);
            out.set(i, edge ? 0xFF000000 : 0xFF000000 | paletteColour(classes[i]));
        }
        return out;
    }

    private static int paletteColour(int index) {
        float hue = (index * 0.618034f) % 1f;
        return Color.HSBtoRGB(hue, 0.65f, 0.95f) & 0xFFFFFF;
    }

    private static int lerp(int from, int to, double t) {
        return Pixels.clamp(from + (to - from) * t);
    }
}
