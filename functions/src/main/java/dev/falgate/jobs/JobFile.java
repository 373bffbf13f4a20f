package dev.falgate.jobs;

/**
 * One output file copied into our bucket.
 *
 * @param field where it sits in the output, e.g. {@code images[1]} or {@code model_mesh}
 */
public record JobFile(String field, String key, String contentType, long size, Integer width, Integer height) {
}
