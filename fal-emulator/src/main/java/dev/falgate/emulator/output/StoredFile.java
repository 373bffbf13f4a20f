package dev.falgate.emulator.output;

/** An output file as the emulator serves it at {@code /files/<request id>/<name>}. */
public record StoredFile(byte[] bytes, String contentType) {
}
