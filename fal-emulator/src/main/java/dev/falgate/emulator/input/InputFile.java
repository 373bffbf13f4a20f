package dev.falgate.emulator.input;

/**
 * A file input as downloaded.
 *
 * @param field the input field it came from
 * @param index its position in a list field, 0 for a single-URL field
 * @param kind the catalog's file kind ({@code image}, {@code safetensors}, ...)
 */
public record InputFile(String field, int index, String kind, String url, byte[] bytes,
        String contentType) {

    public boolean isImage() {
        return "image".equals(kind);
    }
}
