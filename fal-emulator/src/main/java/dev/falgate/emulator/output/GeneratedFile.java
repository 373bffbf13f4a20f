package dev.falgate.emulator.output;

import dev.falgate.emulator.image.ImageCodec;
import dev.falgate.emulator.image.ImageFormat;
import dev.falgate.emulator.mesh.MeshFormat;
import java.awt.image.BufferedImage;

/**
 * A file a generator made, before it is stored.
 *
 * @param width pixel width for images, else {@code null}
 * @param height pixel height for images, else {@code null}
 */
public record GeneratedFile(byte[] bytes, String contentType, String extension, Integer width,
        Integer height) {

    public static GeneratedFile image(BufferedImage image, ImageFormat format) {
        return new GeneratedFile(ImageCodec.encode(image, format), format.contentType(),
                format.extension(), image.getWidth(), image.getHeight());
    }

    public static GeneratedFile model(byte[] bytes, MeshFormat format) {
        return new GeneratedFile(bytes, format.contentType(), format.extension(), null, null);
    }
}
