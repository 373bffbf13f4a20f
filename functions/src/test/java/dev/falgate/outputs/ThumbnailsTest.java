package dev.falgate.outputs;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ThumbnailsTest {
    @Test
    void aLargeImageShrinksToTheLongestSideKeepingItsShape() throws IOException {
        byte[] original = encode(noise(1600, 900, BufferedImage.TYPE_INT_RGB), "png");
        byte[] thumb = Thumbnails.png(new ByteArrayInputStream(original)).orElseThrow();
        BufferedImage t = ImageIO.read(new ByteArrayInputStream(thumb));
        assertThat(t.getWidth()).isEqualTo(256);
        assertThat(t.getHeight()).isEqualTo(144);
        assertThat(thumb.length).isLessThan(original.length / 5);
    }

    @Test
    void aJpegIsReadAndTransparencyIsKept() throws IOException {
        byte[] jpeg = encode(noise(512, 1024, BufferedImage.TYPE_INT_RGB), "jpg");
        BufferedImage fromJpeg = ImageIO.read(new ByteArrayInputStream(Thumbnails.png(new ByteArrayInputStream(jpeg)).orElseThrow()));
        assertThat(fromJpeg.getHeight()).isEqualTo(256);
        assertThat(fromJpeg.getWidth()).isEqualTo(128);
        byte[] alpha = encode(noise(300, 300, BufferedImage.TYPE_INT_ARGB), "png");
        BufferedImage fromAlpha = ImageIO.read(new ByteArrayInputStream(Thumbnails.png(new ByteArrayInputStream(alpha)).orElseThrow()));
        assertThat(fromAlpha.getColorModel().hasAlpha()).isTrue();
    }

    @Test
    void aSmallImageIsNotEnlarged() throws IOException {
        byte[] small = encode(noise(40, 20, BufferedImage.TYPE_INT_RGB), "png");
        BufferedImage t = ImageIO.read(new ByteArrayInputStream(Thumbnails.png(new ByteArrayInputStream(small)).orElseThrow()));
        assertThat(t.getWidth()).isEqualTo(40);
        assertThat(t.getHeight()).isEqualTo(20);
    }

    @Test
    void anImageOverThePixelLimitOrNotAnImageGetsNone() throws IOException {
        byte[] png = encode(noise(300, 200, BufferedImage.TYPE_INT_RGB), "png");
        assertThat(Thumbnails.png(new ByteArrayInputStream(png), 300 * 200 - 1)).isEmpty();
        assertThat(Thumbnails.png(new ByteArrayInputStream(png), 300 * 200)).isPresent();
        assertThat(Thumbnails.png(new ByteArrayInputStream("glTF not an image".getBytes()))).isEmpty();
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
