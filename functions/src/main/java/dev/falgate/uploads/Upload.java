package dev.falgate.uploads;

import java.time.Instant;

/** A file a tenant put in our bucket, referable as {@code upload://<id>} until it expires. */
public record Upload(String id, String tenant, String key, String contentType, long size, String fileName,
        Instant createdAt, Instant expiresAt) {

    public String ref() {
        return UploadService.REF_PREFIX + id;
    }
}
