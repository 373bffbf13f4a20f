package dev.falgate.emulator.outputs;

import java.awt.image.BufferedImage;

/** Image statistics computed here, independently of the emulator's image code. */
final class Measures {
    private Measures() {
    }

    /** Rec. 601 luma, 0..255, row-major. */
    static double[] luma(BufferedImage image) {
        int w = image.getWidth();
        double[] out = new double[w * image.getHeight()];
        for (int i = 0; i < out.length; i++) {
            int p = image.getRGB(i % w, i / w);
            out[i] = 0.299 * ((p >> 16) & 0xFF) + 0.587 * ((p >> 8) & 0xFF) + 0.114 * (p & 0xFF);
        }
        return out;
    }

    /**
     * Variance of the 4-neighbour Laplacian of the luma over the interior pixels: the usual
     * sharpness (focus) measure; it grows when edges get crisper.
     */
    static double laplacianVariance(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        double[] y = luma(image);
        double sum = 0;
        double sumOfSquares = 0;
        int n = 0;
        for (int row = 1; row < h - 1; row++) {
            for (int col = 1; col < w - 1; col++) {
                int i = row * w + col;
                double laplacian = y[i - 1] + y[i + 1] + y[i - w] + y[i + w] - 4 * y[i];
                sum += laplacian;
                sumOfSquares += laplacian * laplacian;
                n++;
            }
        }
        double mean = sum / n;
        return sumOfSquares / n - mean * mean;
    }

    /** Standard deviation of the luma: the spread of the tonal histogram. */
    static double lumaSpread(BufferedImage image) {
        double[] y = luma(image);
        double mean = 0;
        for (double v : y) {
            mean += v / y.length;
        }
        double variance = 0;
        for (double v : y) {
            variance += (v - mean) * (v - mean) / y.length;
        }
        return Math.sqrt(variance);
    }

    /** Mean R, G and B, 0..255. */
    static double[] channelMeans(BufferedImage image) {
        double[] means = new double[3];
        int n = image.getWidth() * image.getHeight();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                means[0] += ((p >> 16) & 0xFF) / (double) n;
                means[1] += ((p >> 8) & 0xFF) / (double) n;
                means[2] += (p & 0xFF) / (double) n;
            }
        }
        return means;
    }

    /** How far the channel means are apart (0 = neutral grey on average): the colour cast. */
    static double colourCast(BufferedImage image) {
        double[] m = channelMeans(image);
        return Math.max(m[0], Math.max(m[1], m[2])) - Math.min(m[0], Math.min(m[1], m[2]));
    }

    /** Mean absolute per-channel difference of two same-size images, 0..255. */
    static double meanDifference(BufferedImage a, BufferedImage b) {
        long total = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    total += Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF));
                }
            }
        }
        return total / (3.0 * a.getWidth() * a.getHeight());
    }
}
