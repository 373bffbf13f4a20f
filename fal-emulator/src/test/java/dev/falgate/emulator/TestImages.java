package dev.falgate.emulator;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Small synthetic inputs: a plain border (a "background") around a textured subject. */
final class TestImages {
    static final int WIDTH = 96;
    static final int HEIGHT = 64;

    private TestImages() {
    }

    static BufferedImage subject() {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(235, 235, 240));
        g.fillRect(0, 0, WIDTH, HEIGHT);
        for (int x = 20; x < 76; x++) {
            g.setColor(new Color(40 + x * 2, 90, 200 - x * 2));
            g.drawLine(x, 12, x, 52);
        }
        g.setColor(new Color(200, 40, 40));
        g.fillOval(38, 22, 20, 20);
        g.dispose();
        return image;
    }

    static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static BufferedImage decode(byte[] bytes) {
        try {
            return ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether at least one pixel's RGB differs. */
    static boolean differ(BufferedImage a, BufferedImage b) {
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if ((a.getRGB(x, y) & 0xFFFFFF) != (b.getRGB(x, y) & 0xFFFFFF)) {
                    return true;
                }
            }
        }
        return false;
    }
}
