package dev.falgate.uploads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.http.ApiException;
import dev.falgate.http.FieldError;
import dev.falgate.http.Json;
import dev.falgate.jobs.Ids;
import dev.falgate.storage.BlobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Files that jobs read: browser/partner uploads through presigned PUTs, and {@code data:} URIs
 * decoded into the same store. Both end as an {@link Upload} referenced by {@code upload://id}.
 */
public final class UploadService {
    public static final String REF_PREFIX = "upload://";
    public static final Duration REF_LIFETIME = Duration.ofHours(24);
    /** Browsers PUT right after asking; a short window limits what a leaked URL allows. */
    public static final Duration PUT_URL_LIFETIME = Duration.ofMinutes(15);
    public static final long MAX_UPLOAD_BYTES = 100L * 1024 * 1024;
    /** The size of an upload created without one (through fal's storage initiate): read from the bucket on use. */
    public static final long UNKNOWN_SIZE = 0;
    /** Decoded {@code data:} bytes: base64 grows them by 4/3 and Lambda's payload is 6 MB. */
    public static final int MAX_DATA_URI_BYTES = 4 * 1024 * 1024;
    public static final Map<String, String> CONTENT_TYPES = Map.of(
            "image/png", "png", "image/jpeg", "jpg", "image/webp", "webp", "image/gif", "gif",
            "application/octet-stream", "bin");
    private static final Pattern DATA_URI = Pattern.compile("^data:([\\w.+-]+/[\\w.+-]+)?((?:;[\\w-]+=[^;,]*)*)(;base64)?,(.*)$", Pattern.DOTALL);

    private final UploadRepository uploads;
    private final BlobStore blobs;
    private final Ids ids;
    private final Clock clock;

    public UploadService(UploadRepository uploads, BlobStore blobs, Ids ids, Clock clock) {
        this.uploads = uploads;
        this.blobs = blobs;
        this.ids = ids;
        this.clock = clock;
    }

    /** {@code POST /v1/uploads}: records the upload and hands out a PUT URL bound to type and length. */
    public ObjectNode create(String tenant, JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        String contentType = body.path("content_type").asText(null);
        if (contentType == null || !body.get("content_type").isTextual()) {
            errors.add(new FieldError("content_type", "required", "content_type is required"));
        } else if (!CONTENT_TYPES.containsKey(contentType)) {
            errors.add(new FieldError("content_type", "unsupported_content_type",
                    "content_type must be one of " + String.join(", ", CONTENT_TYPES.keySet().stream().sorted().toList())));
        }
        JsonNode size = body.get("size");
        if (size == null || !size.canConvertToExactIntegral() || size.asLong() <= 0 || size.asLong() > MAX_UPLOAD_BYTES) {
            errors.add(new FieldError("size", size == null ? "required" : "out_of_range",
                    "size must be a whole number of bytes from 1 to " + MAX_UPLOAD_BYTES));
        }
        JsonNode fileName = body.get("file_name");
        if (fileName != null && !fileName.isNull() && (!fileName.isTextual() || fileName.asText().length() > 255)) {
            errors.add(new FieldError("file_name", "invalid_type", "file_name must be a string of at most 255 characters"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        Upload upload = record(tenant, contentType, size.asLong(), fileName == null ? null : fileName.asText(null));
        return describe(upload);
    }

    /** The answer to {@code POST /v1/uploads} for an upload, with a fresh PUT URL (also for a replay). */
    public ObjectNode describe(String tenant, String uploadId) {
        return describe(uploads.find(uploadId).filter(u -> u.tenant().equals(tenant))
                .orElseThrow(() -> ApiException.notFound("upload")));
    }

    private ObjectNode describe(Upload upload) {
        BlobStore.PresignedPut put = blobs.presignPut(upload.key(), upload.contentType(), upload.size(), PUT_URL_LIFETIME);
        ObjectNode out = Json.object();
        out.put("upload_id", upload.id());
        out.put("url", put.url().toString());
        out.put("method", "PUT");
        ObjectNode headers = out.putObject("headers");
        put.headers().forEach(headers::put);
        out.put("expires_at", Json.time(upload.expiresAt()));
        out.put("url_expires_at", Json.time(clock.instant().plus(PUT_URL_LIFETIME)));
        out.put("ref", upload.ref());
        return out;
    }

    /** An upload of no declared size and its PUT URL, bound to the type only (fal's storage initiate). */
    public record Unsized(Upload upload, java.net.URL putUrl) {
    }

    /** Records an upload whose size is not known yet ({@link #UNKNOWN_SIZE}); {@link #resolve} checks it on use. */
    public Unsized createUnsized(String tenant, String contentType, String fileName) {
        Upload upload = record(tenant, contentType, UNKNOWN_SIZE, fileName);
        return new Unsized(upload, blobs.presignPut(upload.key(), contentType, PUT_URL_LIFETIME));
    }

    private Upload record(String tenant, String contentType, long size, String fileName) {
        Upload upload = newUpload(tenant, contentType, size, fileName);
        uploads.create(upload);
        return upload;
    }

    private Upload newUpload(String tenant, String contentType, long size, String fileName) {
        String id = ids.upload();
        Instant now = clock.instant();
        return new Upload(id, tenant, key(tenant, id, contentType), contentType, size, fileName,
                now, now.plus(REF_LIFETIME));
    }

    private static String key(String tenant, String id, String contentType) {
        return "uploads/" + tenant + "/" + id + "." + CONTENT_TYPES.getOrDefault(contentType, "bin");
    }

    /**
     * The upload a ref names, checked: it exists, is the caller's, has not expired and its
     * bytes are in the bucket. Another tenant's ref looks exactly like a missing one.
     */
    public Upload resolve(String tenant, String ref, String field) {
        String id = ref.substring(REF_PREFIX.length());
        Optional<Upload> found = Ids.isUploadId(id) ? uploads.find(id).filter(u -> u.tenant().equals(tenant)) : Optional.empty();
        if (found.isEmpty()) {
            throw new FieldProblem(field, "upload_not_found", "no upload " + ref);
        }
        Upload u = found.get();
        if (u.expiresAt().isBefore(clock.instant())) {
            throw new FieldProblem(field, "upload_expired", "upload " + ref + " expired at " + Json.time(u.expiresAt()));
        }
        Optional<Long> stored = blobs.size(u.key());
        if (stored.isEmpty()) {
            throw new FieldProblem(field, "upload_incomplete", "upload " + ref + " has no bytes yet: PUT the file to its url first");
        }
        return u.size() == UNKNOWN_SIZE ? sized(u, stored.get(), field) : u;
    }

    /** An upload of no declared size with the size it has in the bucket; one over the limit is deleted and refused. */
    private Upload sized(Upload u, long stored, String field) {
        if (stored > MAX_UPLOAD_BYTES || stored == 0) {
            blobs.delete(u.key());
            throw new FieldProblem(new FieldError(field, stored == 0 ? "invalid_file" : "file_too_large",
                    "upload " + u.ref() + " is " + stored + " bytes; files of 1 to " + MAX_UPLOAD_BYTES + " bytes are accepted"),
                    stored == 0 ? 400 : 413);
        }
        return new Upload(u.id(), u.tenant(), u.key(), u.contentType(), stored, u.fileName(), u.createdAt(), u.expiresAt());
    }

    /** The first bytes of an upload, to check what it really is. */
    public byte[] head(Upload upload) {
        return blobs.head(upload.key(), FileSniffer.HEAD_BYTES);
    }

    /** A {@code data:} URI decoded and checked, not yet stored (nothing is stored for a bad request). */
    public record DecodedFile(String contentType, byte[] bytes) {
    }

    /** Decodes a {@code data:} URI (base64 or percent-encoded) and checks type and size. */
    public DecodedFile decodeDataUri(String uri, String field) {
        Matcher m = DATA_URI.matcher(uri);
        if (!m.matches()) {
            throw new FieldProblem(field, "invalid_data_uri", "not a valid data: URI");
        }
        String contentType = m.group(1) == null ? "application/octet-stream" : m.group(1).toLowerCase();
        if (m.group(4).length() > MAX_DATA_URI_BYTES * 4L / 3 + 4) {
            throw tooLarge(field);
        }
        byte[] bytes = decode(m.group(4), m.group(3) != null, field);
        if (bytes.length == 0) {
            throw new FieldProblem(field, "invalid_data_uri", "data: URI holds no bytes");
        }
        if (bytes.length > MAX_DATA_URI_BYTES) {
            throw tooLarge(field);
        }
        if (!CONTENT_TYPES.containsKey(contentType)) {
            throw new FieldProblem(field, "unsupported_content_type", "unsupported content type " + contentType);
        }
        return new DecodedFile(contentType, bytes);
    }

    private static FieldProblem tooLarge(String field) {
        return new FieldProblem(field, "file_too_large",
                "data: URI over " + MAX_DATA_URI_BYTES + " bytes; upload large files through POST /v1/uploads");
    }

    /**
     * Stores a fetched URL's file as an upload of the tenant. Its record is not written here: the
     * caller writes it with the job that names it ({@link UploadRepository#item}), one call for both.
     */
    public Upload storeWithoutRecord(String tenant, java.nio.file.Path file, long size, String contentType) {
        Upload upload = newUpload(tenant, contentType, size, null);
        blobs.putFile(upload.key(), file, contentType);
        return upload;
    }

    /** Stores a decoded {@code data:} file as an upload of the tenant; its record as for {@link #storeWithoutRecord(String, java.nio.file.Path, long, String)}. */
    public Upload storeWithoutRecord(String tenant, DecodedFile file) {
        Upload upload = newUpload(tenant, file.contentType(), file.bytes().length, null);
        blobs.put(upload.key(), file.bytes(), file.contentType());
        return upload;
    }

    private static byte[] decode(String payload, boolean base64, String field) {
        try {
            return base64 ? Base64.getMimeDecoder().decode(payload)
                    : java.net.URLDecoder.decode(payload, java.nio.charset.StandardCharsets.UTF_8)
                            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IllegalArgumentException e) {
            throw new FieldProblem(field, "invalid_data_uri", "data: URI payload does not decode");
        }
    }

    /** A problem with one file field; the validator collects these into one 400. */
    public static final class FieldProblem extends RuntimeException {
        private final FieldError error;
        private final int status;

        public FieldProblem(String field, String code, String message) {
            this(new FieldError(field, code, message), 400);
        }

        /** A problem whose answer is not a 400 (a file over the fetch size cap is a 413). */
        public FieldProblem(FieldError error, int status) {
            super(error.message());
            this.error = error;
            this.status = status;
        }

        public FieldError error() {
            return error;
        }

        public int status() {
            return status;
        }
    }
}
