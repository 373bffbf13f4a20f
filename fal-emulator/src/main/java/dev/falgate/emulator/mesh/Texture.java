package dev.falgate.emulator.mesh;

/** An encoded image (PNG or JPEG bytes) to embed in a model file. */
public record Texture(byte[] bytes, String mimeType) {

    public String extension() {
        return "image/jpeg".equals(mimeType) ? "jpg" : "png";
    }
}
