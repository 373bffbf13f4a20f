package dev.falgate.outputs;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ThumbnailsTest {
    @ParameterizedTest(name = "{0}x{1} {2} -> {3}x{4}")
    @CsvSource({"1600, 900, png, 256, 144", "512, 1024, jpg, 128, 256", "40, 20, png, 40, 20"})
    void theLongestSideShrinksTo256KeepingTheShapeAndSmallImagesAreNotEnlarged(int w, int h, String format,
            int thumbW, int thumbH) throws IOException {
        byte[] original = encode(noise(w, h, BufferedImage.TYPE_INT_RGB), format);
        BufferedImage t = thumbnailOf(original);
        assertThat(new int[] {t.getWidth(), t.getHeight()}).containsExactly(thumbW, thumbH);
    }

    @Test
    void aThumbnailIsSmallAndKeepsTransparency() throws IOException {
        byte[] original = encode(noise(1600, 900, BufferedImage.TYPE_INT_RGB), "png");
        assertThat(Thumbnails.png(new ByteArrayInputStream(original)).orElseThrow().length).isLessThan(original.length / 5);
        assertThat(thumbnailOf(encode(noise(300, 300, BufferedImage.TYPE_INT_ARGB), "png")).getColorModel().hasAlpha()).isTrue();
    }

    @Test
    void aShownImageNoLargerThanAThumbnailIsItsOwnPreview() {
        assertThat(Thumbnails.isOwnPreview("image/png", 48, 32)).isTrue();
        assertThat(Thumbnails.isOwnPreview("image/jpeg", 256, 100)).isTrue();
        assertThat(Thumbnails.isOwnPreview("image/png", 257, 10)).as("one side too long").isFalse();
        assertThat(Thumbnails.isOwnPreview("image/tiff", 48, 32)).as("a browser may not show it").isFalse();
        assertThat(Thumbnails.isOwnPreview("image/png", null, null)).as("size unknown").isFalse();
    }

    @Test
    void anImageOverThePixelLimitOrNotAnImageGetsNone() throws IOException {
        byte[] png = encode(noise(300, 200, BufferedImage.TYPE_INT_RGB), "png");
        assertThat(Thumbnails.png(new ByteArrayInputStream(png), 300 * 200 - 1)).isEmpty();
        assertThat(Thumbnails.png(new ByteArrayInputStream(png), 300 * 200)).isPresent();
        assertThat(Thumbnails.png(new ByteArrayInputStream("glTF not an image".getBytes()))).isEmpty();
    }

    private static BufferedImage thumbnailOf(byte[] image) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(Thumbnails.png(new ByteArrayInputStream(image)).orElseThrow()));
    }

    private static BufferedImage noise(int w, int h, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        java.util.Random random = new java.util.Random(7);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, type == BufferedImage.TYPE_INT_ARGB ? random.nextInt() : random.nextInt() | 0xff000000);
            }
        }
        return img;
    }

    private static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, format, out);
        return out.toByteArray();
    }
}
