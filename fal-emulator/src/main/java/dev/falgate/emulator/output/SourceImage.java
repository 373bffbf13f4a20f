package dev.falgate.emulator.output;

import dev.falgate.emulator.image.ImageCodec;
import dev.falgate.emulator.image.ImageFormat;
import dev.falgate.emulator.image.Placeholder;
import dev.falgate.emulator.input.InputFile;
import dev.falgate.emulator.mesh.Texture;
import java.awt.image.BufferedImage;
import java.util.Optional;

/**
 * An input image ready for generators: decoded (a placeholder when ImageIO cannot read it) and
 * as embeddable PNG/JPEG bytes (the original bytes whenever they already are PNG or JPEG).
 *
 * @param file the downloaded input, or {@code null} for the placeholder used without inputs
 */
public record SourceImage(InputFile file, BufferedImage image, Texture texture) {
    private static final int PLACEHOLDER_SIZE = 512;

    public static SourceImage of(InputFile file) {
        BufferedImage decoded = ImageCodec.decode(file.bytes());
        BufferedImage image = decoded != null
                ? decoded : Placeholder.image(PLACEHOLDER_SIZE, PLACEHOLDER_SIZE);
        Optional<String> mime = ImageCodec.sniff(file.bytes())
                .filter(m -> m.equals("image/png") || m.equals("image/jpeg"));
        Texture texture = decoded != null && mime.isPresent()
                ? new Texture(file.bytes(), mime.get())
                : new Texture(ImageCodec.encode(image, ImageFormat.PNG), "image/png");
        return new SourceImage(file, image, texture);
    }

    public static SourceImage placeholder() {
        BufferedImage image = Placeholder.image(PLACEHOLDER_SIZE, PLACEHOLDER_SIZE);
        return new SourceImage(null, image,
                new Texture(ImageCodec.encode(image, ImageFormat.PNG), "image/png"));
    }

    /**
     * The picture stretched to a square texture of {@code size} pixels, as models that bake a
     * texture atlas of a requested size return it (a cube face is square, so it looks the same).
     */
    public Texture squareTexture(int size) {
        ImageFormat format = "image/jpeg".equals(texture.mimeType())
                ? ImageFormat.JPEG : ImageFormat.PNG;
        BufferedImage baked = ImageCodec.resize(image, size, size);
        return new Texture(ImageCodec.encode(baked, format), format.contentType());
    }

    /** The input field it came from ("" for the placeholder). */
    public String field() {
        return file == null ? "" : file.field();
    }

    public int index() {
        return file == null ? 0 : file.index();
    }
}
