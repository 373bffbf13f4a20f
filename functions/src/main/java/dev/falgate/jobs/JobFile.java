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
