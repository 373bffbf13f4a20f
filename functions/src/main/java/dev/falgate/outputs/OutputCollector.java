package dev.falgate.outputs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.jobs.JobFile;
import dev.falgate.jobs.JobFiles;
import dev.falgate.storage.BlobStore;
import dev.falgate.storage.IdleTimeoutInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Copies every file of a fal result into our bucket, because fal's URLs expire, streaming it
 * through one bounded part at a time (multipart when large). A file is any
 * object in the result with a {@code url} (or inline {@code file_data}); its place in the
 * result (e.g. {@code images[1]}) names the copy, so copying twice overwrites, never duplicates.
 * The rewritten result has {@code falgate-file:<field>} where fal's URL was.
 */
public final class OutputCollector {
    private static final Map<String, String> EXTENSIONS = Map.ofEntries(
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("webp", "image/webp"), Map.entry("gif", "image/gif"),
            Map.entry("glb", "model/gltf-binary"), Map.entry("gltf", "model/gltf+json"),
            Map.entry("obj", "model/obj"), Map.entry("stl", "model/stl"), Map.entry("fbx", "application/octet-stream"),
            Map.entry("usdz", "model/vnd.usdz+zip"), Map.entry("zip", "application/zip"),
            Map.entry("safetensors", "application/octet-stream"));

    /** CDN answers that will not change on a retry: the file is gone or not ours to read. */
    private static final java.util.Set<Integer> PERMANENT_STATUSES = java.util.Set.of(403, 404, 410);

    private final BlobStore blobs;
    /** Built on the first download: a poll or callback that copies nothing does not pay for it. */
    private final java.util.function.Supplier<HttpClient> http;
    private final List<String> allowedHosts;
    private final Duration idleTimeout;

    /** @param idleTimeout how long a download may wait for its headers or for any next byte before it fails (transient) */
    public OutputCollector(BlobStore blobs, HttpClient http, List<String> allowedHosts, Duration idleTimeout) {
        this(blobs, () -> http, allowedHosts, idleTimeout);
    }

    /** @param http called on each download, so it must cache what it builds */
    public OutputCollector(BlobStore blobs, java.util.function.Supplier<HttpClient> http, List<String> allowedHosts,
            Duration idleTimeout) {
        this.blobs = blobs;
        this.http = http;
        this.allowedHosts = List.copyOf(allowedHosts);
        this.idleTimeout = idleTimeout;
    }

    public record Collected(JsonNode output, List<JobFile> files) {
    }

    public Collected collect(String tenant, String jobId, JsonNode result) {
        return collectUnder(JobFiles.outputPrefix(tenant, jobId), result);
    }

    /** Copies every file of {@code result} to keys under {@code prefix}. */
    public Collected collectUnder(String prefix, JsonNode result) {
        JsonNode output = result.deepCopy();
        List<JobFile> files = new ArrayList<>();
        walk(output, "", prefix, files);
        return new Collected(output, files);
    }

    private void walk(JsonNode node, String path, String prefix, List<JobFile> files) {
        if (node instanceof ObjectNode obj) {
            if (isFile(obj)) {
                files.add(copy(obj, path, prefix));
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
                var e = it.next();
                walk(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), prefix, files);
            }
        } else if (node instanceof ArrayNode arr) {
            for (int i = 0; i < arr.size(); i++) {
                walk(arr.get(i), path + "[" + i + "]", prefix, files);
            }
        }
    }

    private static boolean isFile(ObjectNode obj) {
        JsonNode url = obj.get("url");
        boolean hasUrl = url != null && url.isTextual()
                && (url.asText().startsWith("http://") || url.asText().startsWith("https://") || url.asText().startsWith("data:"));
        return hasUrl || (obj.hasNonNull("file_data") && obj.get("file_data").isTextual());
    }

    private JobFile copy(ObjectNode file, String field, String prefix) {
        try (Source source = open(file, field)) {
            String contentType = contentType(file.path("content_type").asText(null), source.type(), file);
            String key = prefix + field + extension(contentType, file);
            BlobStore.Stored stored = blobs.putStream(key, contentType, source.body(), source.length(),
                    dev.falgate.uploads.FileSniffer.HEAD_BYTES);
            Integer[] dims = contentType.startsWith("image/") ? dimensions(stored.head()) : new Integer[] {null, null};
            file.put("url", JobFiles.PLACEHOLDER + field);
            file.remove("file_data");
            file.put("content_type", contentType);
            file.put("file_size", stored.size());
            if (dims[0] != null) {
                file.put("width", dims[0]);
                file.put("height", dims[1]);
            }
            return new JobFile(field, key, contentType, stored.size(), dims[0], dims[1],
                    thumbnail(key, contentType, dims, prefix, field), fileName(file, field, key));
        } catch (IOException | java.io.UncheckedIOException | SdkException e) {
            // the network, the CDN's 5xx, a short or stalled body, S3: may work next time
            throw OutputCopyException.transientFailure("copying " + field + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Makes the image's thumbnail from our copy and stores it under {@code thumbs/}; null (no
     * thumbnail) for other files, undecodable or huge images, and when making it fails: a
     * missing preview must never fail the job.
     */
    private String thumbnail(String key, String contentType, Integer[] dims, String prefix, String field) {
        if (!contentType.startsWith("image/")) {
            return null;
        }
        if (Thumbnails.isOwnPreview(contentType, dims[0], dims[1])) {
            return key; // already thumbnail-sized: no second read and write of the same pixels
        }
        String thumbKey = prefix + "thumbs/" + field + ".png";
        try (InputStream image = blobs.open(key)) {
            java.util.Optional<byte[]> png = Thumbnails.png(image);
            if (png.isEmpty()) {
                return null;
            }
            blobs.put(thumbKey, png.get(), "image/png");
            return thumbKey;
        } catch (IOException | RuntimeException e) {
            dev.falgate.http.Log.warn(null, "no thumbnail for " + key + ": " + e);
            return null;
        }
    }

    /** fal's {@code file_name} when it gave one, else {@code <field>.<ext>}. */
    private static String fileName(ObjectNode file, String field, String key) {
        String given = file.path("file_name").asText("");
        return given.isBlank() ? new JobFile(field, key, null, 0, null, null).downloadName() : given;
    }

    /** A file's bytes as they arrive, with the length and type its source announced (-1 / null if none). */
    private record Source(InputStream body, long length, String type) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /** Opens a file of the result: inline ({@code data:} URI or {@code file_data}) or on fal's CDN. */
    private Source open(ObjectNode file, String field) throws IOException {
        String url = file.path("url").asText("");
        if (url.startsWith("data:") || (!url.startsWith("http") && file.hasNonNull("file_data"))) {
            return inline(file, url, field);
        }
        URI uri = cdnUri(url, field);
        HttpResponse<InputStream> r;
        try {
            r = http.get().send(HttpRequest.newBuilder(uri).timeout(idleTimeout).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (r.statusCode() != 200) {
            r.body().close();
            if (PERMANENT_STATUSES.contains(r.statusCode())) {
                throw OutputCopyException.permanent("copying " + field + " failed: fal's CDN answered " + r.statusCode());
            }
            throw new IOException("CDN answered " + r.statusCode());
        }
        return new Source(new IdleTimeoutInputStream(r.body(), idleTimeout),
                r.headers().firstValueAsLong("content-length").orElse(-1),
                r.headers().firstValue("content-type").map(v -> v.split(";")[0].trim()).orElse(null));
    }

    private static Source inline(ObjectNode file, String url, String field) {
        String data = url.startsWith("data:") ? url.substring(url.indexOf(',') + 1) : file.get("file_data").asText();
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw OutputCopyException.permanent("copying " + field + " failed: its inline data is not base64 ("
                    + e.getMessage() + ")");
        }
        String type = url.startsWith("data:") && url.contains(";") ? url.substring(5, url.indexOf(';')) : null;
        return new Source(new java.io.ByteArrayInputStream(bytes), bytes.length, type);
    }

    /** The file's URL, if it is one we may download: http(s) on an allow-listed CDN host. */
    private URI cdnUri(String url, String field) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw OutputCopyException.permanent("copying " + field + " failed: malformed URL (" + e.getMessage() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw OutputCopyException.permanent("copying " + field + " failed: not an http(s) URL");
        }
        if (!hostAllowed(uri.getHost())) {
            throw OutputCopyException.permanent("copying " + field + " failed: refusing to download from "
                    + uri.getHost() + ", not a fal CDN host");
        }
        return uri;
    }

    boolean hostAllowed(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        for (String allowed : allowedHosts) {
            String a = allowed.toLowerCase(Locale.ROOT);
            if (a.startsWith("*.") ? h.endsWith(a.substring(1)) : h.equals(a)) {
                return true;
            }
        }
        return false;
    }

    private static String contentType(String declared, String fetched, ObjectNode file) {
        String byName = EXTENSIONS.get(extensionOf(file.path("file_name").asText(file.path("url").asText(""))));
        for (String candidate : new String[] {declared, byName, fetched}) {
            if (candidate != null && !candidate.isBlank() && !candidate.equals("application/octet-stream")) {
                return candidate;
            }
        }
        return "application/octet-stream";
    }

    private static String extension(String contentType, ObjectNode file) {
        String ext = extensionOf(file.path("file_name").asText(""));
        if (ext.isEmpty() || !EXTENSIONS.containsKey(ext)) {
            ext = EXTENSIONS.entrySet().stream().filter(e -> e.getValue().equals(contentType))
                    .map(Map.Entry::getKey).sorted().findFirst().orElse("bin");
        }
        return "." + ext;
    }

    private static String extensionOf(String name) {
        String clean = name.split("[?#]")[0];
        int dot = clean.lastIndexOf('.');
        return dot < 0 || dot < clean.lastIndexOf('/') ? "" : clean.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** Width and height from the image header, without decoding the pixels. */
    private static Integer[] dimensions(byte[] head) {
        return dev.falgate.uploads.FileSniffer.dimensions(head)
                .map(d -> new Integer[] {d.width(), d.height()}).orElse(new Integer[] {null, null});
    }

    /**
     * A file could not be copied. Transient (network, CDN 5xx/429, a short or stalled body, S3):
     * the finish path tries again until the job's deadline. Permanent (a host outside fal's CDN,
     * a 403/404/410, malformed data): no retry can help, the job fails {@code output_copy_failed}.
     */
    public static final class OutputCopyException extends RuntimeException {
        private final boolean permanent;

        private OutputCopyException(String message, Throwable cause, boolean permanent) {
            super(message, cause);
            this.permanent = permanent;
        }

        public static OutputCopyException permanent(String message) {
            return new OutputCopyException(message, null, true);
        }

        public static OutputCopyException transientFailure(String message, Throwable cause) {
            return new OutputCopyException(message, cause, false);
        }

        public boolean permanent() {
            return permanent;
        }
    }
}
