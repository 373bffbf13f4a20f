package dev.falgate.emulator.image;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/** A stand-in picture for inputs that are absent or that ImageIO cannot decode (e.g. WebP). */
public final class Placeholder {
    private Placeholder() {
    }

    public static BufferedImage image(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(70, 110, 180), width, height,
                new Color(230, 200, 120)));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(200, 60, 60));
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        return image;
    }
}
