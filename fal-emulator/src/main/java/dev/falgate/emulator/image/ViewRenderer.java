package dev.falgate.emulator.image;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;

/**
 * Cheap "3D-looking" renders of a flat subject: turned views (the subject squeezed by the
 * cosine of the azimuth, mirrored from behind), their normal maps, and a cube preview.
 */
public final class ViewRenderer {
    private static final double FILL = 0.8;
    private static final double MIN_SQUEEZE = 0.15;
    private static final double VERTICAL_TILT = 0.6;

    private ViewRenderer() {
    }

    /** The subject seen from {@code azimuthDegrees}; {@code background} null = transparent. */
    public static BufferedImage view(BufferedImage subject, double azimuthDegrees, int size,
            Color background) {
        BufferedImage canvas = canvas(size, background);
        Graphics2D g = smooth(canvas.createGraphics());
        g.setTransform(subjectTransform(subject, azimuthDegrees, size));
        g.drawImage(subject, 0, 0, null);
        g.setComposite(AlphaComposite.SrcAtop);
        // light comes from the front: turned views are darker
        float shade = (float) (0.3 * Math.abs(Math.sin(Math.toRadians(azimuthDegrees))));
        g.setColor(new Color(0, 0, 0, shade));
        g.fillRect(0, 0, subject.getWidth(), subject.getHeight());
        g.dispose();
        return canvas;
    }

    /**
     * Normals of the subject treated as a vertical cylinder, turned by the azimuth and
     * encoded the usual way ((n + 1) / 2 per channel); background as in {@link #view}.
     */
    public static BufferedImage normalView(BufferedImage subject, double azimuthDegrees, int size,
            Color background) {
        BufferedImage silhouette = view(subject, azimuthDegrees, size, null);
        BufferedImage out = canvas(size, background);
        double a = Math.toRadians(azimuthDegrees);
        double halfWidth = Math.max(1, size * FILL / 2 * squeeze(azimuthDegrees) * aspect(subject));
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                if ((silhouette.getRGB(x, y) >>> 24) > 16) {
                    out.setRGB(x, y, normalColour((x - size / 2.0) / halfWidth,
                            (size / 2.0 - y) / size, a));
                }
            }
        }
        return out;
    }

    /** A unit normal: the cylinder's, tilted a little up or down with the height. */
    private static int normalColour(double nx, double ny, double azimuth) {
        double x = Math.max(-1, Math.min(1, nx));
        double z = Math.sqrt(Math.max(0, 1 - x * x));
        double wx = x * Math.cos(azimuth) + z * Math.sin(azimuth);
        double wy = ny * VERTICAL_TILT;
        double wz = -x * Math.sin(azimuth) + z * Math.cos(azimuth);
        double length = Math.sqrt(wx * wx + wy * wy + wz * wz);
        return Pixels.argb(255, encode(wx / length), encode(wy / length), encode(wz / length));
    }

    private static int encode(double component) {
        return Pixels.clamp((component + 1) / 2 * 255);
    }

    /** A cabinet projection of a cube with the texture on its front, top and right faces. */
    public static BufferedImage cubePreview(BufferedImage texture, int size) {
        BufferedImage canvas = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = smooth(canvas.createGraphics());
        g.setPaint(new GradientPaint(0, 0, new Color(235, 238, 242), 0, size,
                new Color(180, 186, 196)));
        g.fillRect(0, 0, size, size);
        double face = size * 0.5;
        double depth = size * 0.2;
        double fx = size * 0.15;
        double fy = size * 0.35;
        drawFace(g, texture, new AffineTransform(face / texture.getWidth(), 0, 0,
                face / texture.getHeight(), fx, fy), null);
        drawFace(g, texture, new AffineTransform(face / texture.getWidth(), 0,
                -depth / texture.getHeight(), depth / texture.getHeight(), fx + depth, fy - depth),
                new Color(255, 255, 255, 70));
        drawFace(g, texture, new AffineTransform(depth / texture.getWidth(),
                -depth / texture.getWidth(), 0, face / texture.getHeight(), fx + face, fy),
                new Color(0, 0, 0, 90));
        g.dispose();
        return canvas;
    }

    private static void drawFace(Graphics2D g, BufferedImage texture, AffineTransform toFace,
            Color shade) {
        AffineTransform saved = g.getTransform();
        g.transform(toFace);
        g.drawImage(texture, 0, 0, null);
        if (shade != null) {
            g.setColor(shade);
            g.fill(new Polygon(new int[] {0, texture.getWidth(), texture.getWidth(), 0},
                    new int[] {0, 0, texture.getHeight(), texture.getHeight()}, 4));
        }
        g.setTransform(saved);
    }

    private static AffineTransform subjectTransform(BufferedImage subject, double azimuth,
            int size) {
        double fit = size * FILL / Math.max(subject.getWidth(), subject.getHeight());
        double cos = Math.cos(Math.toRadians(azimuth));
        double sx = Math.copySign(squeeze(azimuth), cos);
        AffineTransform t = new AffineTransform();
        t.translate(size / 2.0, size / 2.0);
        t.scale(fit * sx, fit);
        t.translate(-subject.getWidth() / 2.0, -subject.getHeight() / 2.0);
        return t;
    }

    private static double squeeze(double azimuth) {
        return Math.max(MIN_SQUEEZE, Math.abs(Math.cos(Math.toRadians(azimuth))));
    }

    private static double aspect(BufferedImage subject) {
        return (double) subject.getWidth() / Math.max(subject.getWidth(), subject.getHeight());
    }

    private static BufferedImage canvas(int size, Color background) {
        BufferedImage canvas = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        if (background != null) {
            Graphics2D g = canvas.createGraphics();
            g.setColor(background);
            g.fillRect(0, 0, size, size);
            g.dispose();
        }
        return canvas;
    }

    private static Graphics2D smooth(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
                RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        return g;
    }
}
