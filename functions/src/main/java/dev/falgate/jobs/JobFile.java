package dev.falgate.jobs;

/**
 * One file of a job in our bucket: an output we copied, or an input the job names.
 *
 * @param field where it sits in the output or input, e.g. {@code images[1]} or {@code model_mesh}
 * @param thumbnailKey a small preview of an image output (the output itself when already that small); null for other files, for images
 *        too large or in a format we cannot decode, and for items stored before thumbnails
 * @param fileName the name a download saves under (fal's {@code file_name}, the upload's name);
 *        null for items stored before names were kept, which then save as {@code <field>.<ext>}
 */
public record JobFile(String field, String key, String contentType, long size, Integer width, Integer height,
        String thumbnailKey, String fileName) {

    public JobFile(String field, String key, String contentType, long size, Integer width, Integer height) {
        this(field, key, contentType, size, width, height, null, null);
    }

    /**
     * Reads one element of a stored {@code files} list (written by Jackson from this record: its
     * component names, absent or null values as null). By hand, not by data binding: reading a job
     * is the read function's first request, and binding a record costs a cold start hundreds of classes.
     */
    static JobFile fromJson(com.fasterxml.jackson.databind.JsonNode n) {
        return new JobFile(text(n, "field"), text(n, "key"), text(n, "contentType"), n.path("size").asLong(),
                integer(n, "width"), integer(n, "height"), text(n, "thumbnailKey"), text(n, "fileName"));
    }

    /** The stored form {@link #fromJson} reads: the record's components by name, nulls included. */
    com.fasterxml.jackson.databind.node.ObjectNode toJson() {
        return dev.falgate.http.Json.object().put("field", field).put("key", key).put("contentType", contentType)
                .put("size", size).put("width", width).put("height", height).put("thumbnailKey", thumbnailKey)
                .put("fileName", fileName);
    }

    private static String text(com.fasterxml.jackson.databind.JsonNode n, String name) {
        com.fasterxml.jackson.databind.JsonNode v = n.get(name);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Integer integer(com.fasterxml.jackson.databind.JsonNode n, String name) {
        com.fasterxml.jackson.databind.JsonNode v = n.get(name);
        return v == null || v.isNull() ? null : v.asInt();
    }

    /** The name a download saves under: the kept one (cleaned of paths and control characters), else {@code <field>.<the key's extension>}. */
    public String downloadName() {
        if (fileName != null && !fileName.isBlank()) {
            return dev.falgate.storage.DownloadNames.clean(fileName);
        }
        int slash = key.lastIndexOf('/');
        int dot = key.lastIndexOf('.');
        return field + (dot > slash ? key.substring(dot) : "");
    }
}
