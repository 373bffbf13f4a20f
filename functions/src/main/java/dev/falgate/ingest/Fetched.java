package dev.falgate.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A fetched file in a temporary file the caller owns: close it (try-with-resources) once the
 * bytes are stored, which deletes the file. {@code contentType} is the server's media type
 * without parameters, lower case, {@code application/octet-stream} when it sent none; it is
 * the server's word, not checked against the bytes.
 */
public record Fetched(Path file, long size, String contentType) implements AutoCloseable {
    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + file, e);
        }
    }
}
