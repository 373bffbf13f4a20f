package dev.falgate.e2e;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** Test images made on the spot. */
final class Images {
    private Images() {
    }

    /** A PNG with a gradient and a few shapes, so edits have something to change. */
    static byte[] png(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = 255 * x / width;
                int g = 255 * y / height;
                int b = ((x / 8 + y / 8) % 2 == 0) ? 200 : 40;
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return encode(img, "png");
    }

    static byte[] encode(BufferedImage img, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, format, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static BufferedImage decode(byte[] bytes) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
            if (img == null) {
                throw new AssertionError("not a decodable image (" + bytes.length + " bytes)");
            }
            return img;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** How many pixels differ between two images of the same size. */
    static long differingPixels(BufferedImage a, BufferedImage b) {
        long n = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if ((a.getRGB(x, y) & 0xffffff) != (b.getRGB(x, y) & 0xffffff)) {
                    n++;
                }
            }
        }
        return n;
    }
}
