package dev.falgate.emulator.outputs;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Synthetic test inputs, small so that the suite stays fast. */
final class Pictures {
    /** Not square, so that swapped width and height would show. */
    static final int WIDTH = 120;
    static final int HEIGHT = 80;

    private Pictures() {
    }

    /** A light backdrop, a shaded block and a disc: edges, gradients and a separable subject. */
    static BufferedImage scene() {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(232, 234, 238));
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setPaint(new GradientPaint(25, 15, new Color(40, 90, 190), 95, 65,
                new Color(190, 120, 40)));
        g.fillRect(25, 15, 70, 50);
        g.setColor(new Color(200, 40, 40));
        g.fillOval(48, 28, 24, 24);
        g.dispose();
        return image;
    }

    /** The scene blurred (a 5x5 box twice): soft edges for the sharpen check. */
    static BufferedImage soft() {
        return boxBlur(boxBlur(scene(), 2), 2);
    }

    /**
     * The scene squeezed into a narrow band of levels (about 90..150) with a blue cast: what
     * colour correction is for.
     */
    static BufferedImage dullAndTinted() {
        BufferedImage src = scene();
        BufferedImage out = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                Color c = new Color(src.getRGB(x, y));
                out.setRGB(x, y, new Color(squeeze(c.getRed(), 80), squeeze(c.getGreen(), 90),
                        squeeze(c.getBlue(), 115)).getRGB());
            }
        }
        return out;
    }

    private static int squeeze(int level, int floor) {
        return floor + level * 60 / 255;
    }

    private static BufferedImage boxBlur(BufferedImage src, int radius) {
        BufferedImage out = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                out.setRGB(x, y, boxMean(src, x, y, radius));
            }
        }
        return out;
    }

    private static int boxMean(BufferedImage src, int x, int y, int radius) {
        int[] sum = new int[3];
        int n = 0;
        for (int j = -radius; j <= radius; j++) {
            for (int i = -radius; i <= radius; i++) {
                int p = src.getRGB(clamp(x + i, WIDTH), clamp(y + j, HEIGHT));
                sum[0] += (p >> 16) & 0xFF;
                sum[1] += (p >> 8) & 0xFF;
                sum[2] += p & 0xFF;
                n++;
            }
        }
        return new Color(sum[0] / n, sum[1] / n, sum[2] / n).getRGB();
    }

    private static int clamp(int v, int size) {
        return Math.max(0, Math.min(size - 1, v));
    }

    /** Bilinear rescale, for comparing pictures of different sizes. */
    static BufferedImage resize(BufferedImage source, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
                RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(source, 0, 0, width, height, null);
        g.dispose();
        return out;
    }

    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalArgumentException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static BufferedImage decode(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) {
                throw new AssertionError("ImageIO cannot decode " + bytes.length + " bytes");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
