package dev.falgate.emulator.image;

import java.util.Locale;
import java.util.Optional;

/** The raster formats the emulator writes (ImageIO has writers for both without plugins). */
public enum ImageFormat {
    PNG("png", "png", "image/png"),
    JPEG("jpeg", "jpg", "image/jpeg");

    private final String imageIoName;
    private final String extension;
    private final String contentType;

    ImageFormat(String imageIoName, String extension, String contentType) {
        this.imageIoName = imageIoName;
        this.extension = extension;
        this.contentType = contentType;
    }

    /** A model's {@code output_format} value ({@code png}, {@code jpeg}, {@code jpg}). */
    public static Optional<ImageFormat> fromParameter(String value) {
        return switch (value == null ? "" : value.toLowerCase(Locale.ROOT)) {
            case "png" -> Optional.of(PNG);
            case "jpeg", "jpg" -> Optional.of(JPEG);
            default -> Optional.empty();
        };
    }

    String imageIoName() {
        return imageIoName;
    }

    public String extension() {
        return extension;
    }

    public String contentType() {
        return contentType;
    }
}
