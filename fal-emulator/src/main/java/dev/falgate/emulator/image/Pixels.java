package dev.falgate.emulator.image;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/** A mutable ARGB pixel buffer; the image operations work on these rather than on rasters. */
public final class Pixels {
    private final int width;
    private final int height;
    private final int[] argb;

    public Pixels(int width, int height) {
        this(width, height, new int[width * height]);
    }

    private Pixels(int width, int height, int[] argb) {
        this.width = width;
        this.height = height;
        this.argb = argb;
    }

    public static Pixels of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        return new Pixels(w, h, image.getRGB(0, 0, w, h, null, 0, w));
    }

    public BufferedImage toImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, width, height, argb, 0, width);
        return image;
    }

    public Pixels copy() {
        return new Pixels(width, height, argb.clone());
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int size() {
        return argb.length;
    }

    public int get(int i) {
        return argb[i];
    }

    public void set(int i, int value) {
        argb[i] = value;
    }

    /** The pixel at (x, y) with coordinates clamped to the edges. */
    public int at(int x, int y) {
        int cx = Math.min(Math.max(x, 0), width - 1);
        int cy = Math.min(Math.max(y, 0), height - 1);
        return argb[cy * width + cx];
    }

    public boolean sameAs(Pixels other) {
        return Arrays.equals(argb, other.argb);
    }

    public static int alpha(int p) {
        return p >>> 24;
    }

    public static int red(int p) {
        return (p >> 16) & 0xFF;
    }

    public static int green(int p) {
        return (p >> 8) & 0xFF;
    }

    public static int blue(int p) {
        return p & 0xFF;
    }

    public static int argb(int a, int r, int g, int b) {
        return (clamp(a) << 24) | (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
    }

    public static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
