package dev.falgate.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.jobs.JobFile;
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

/**
 * Copies every file of a fal result into our bucket, because fal's URLs expire, streaming it
 * through one bounded part at a time (multipart when large). A file is any
 * object in the result with a {@code url} (or inline {@code file_data}); its place in the
 * result (e.g. {@code images[1]}) names the copy, so copying twice overwrites, never duplicates.
 * The rewritten result has {@code falgate-file:<field>} where fal's URL was.
 */
public final class OutputCollector {
    public static final String PLACEHOLDER = "falgate-file:";
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(5);
    private static final Map<String, String> EXTENSIONS = Map.ofEntries(
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("webp", "image/webp"), Map.entry("gif", "image/gif"),
            Map.entry("glb", "model/gltf-binary"), Map.entry("gltf", "model/gltf+json"),
            Map.entry("obj", "model/obj"), Map.entry("stl", "model/stl"), Map.entry("fbx", "application/octet-stream"),
            Map.entry("usdz", "model/vnd.usdz+zip"), Map.entry("zip", "application/zip"),
            Map.entry("safetensors", "application/octet-stream"));

    private final BlobStore blobs;
    private final HttpClient http;
    private final List<String> allowedHosts;

    public OutputCollector(BlobStore blobs, HttpClient http, List<String> allowedHosts) {
        this.blobs = blobs;
        this.http = http;
        this.allowedHosts = List.copyOf(allowedHosts);
    }

    public record Collected(JsonNode output, List<JobFile> files) {
    }

    public Collected collect(String tenant, String jobId, JsonNode result) {
        JsonNode output = result.deepCopy();
        List<JobFile> files = new ArrayList<>();
        walk(output, "", tenant + "/" + jobId, files);
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
        try (Source source = open(file)) {
            String contentType = contentType(file.path("content_type").asText(null), source.type(), file);
            String key = "outputs/" + prefix + "/" + field + extension(contentType, file);
            BlobStore.Stored stored = blobs.putStream(key, contentType, source.body(), source.length(),
                    dev.falgate.uploads.FileSniffer.HEAD_BYTES);
            Integer[] dims = contentType.startsWith("image/") ? dimensions(stored.head()) : new Integer[] {null, null};
            file.put("url", PLACEHOLDER + field);
            file.remove("file_data");
            file.put("content_type", contentType);
            file.put("file_size", stored.size());
            if (dims[0] != null) {
                file.put("width", dims[0]);
                file.put("height", dims[1]);
            }
            return new JobFile(field, key, contentType, stored.size(), dims[0], dims[1]);
        } catch (IOException e) {
            throw new OutputCopyException("copying " + field + " failed: " + e.getMessage(), e);
        }
    }

    /** A file's bytes as they arrive, with the length and type its source announced (-1 / null if none). */
    private record Source(InputStream body, long length, String type) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /** Opens a file of the result: inline ({@code data:} URI or {@code file_data}) or on fal's CDN. */
    private Source open(ObjectNode file) throws IOException {
        String url = file.path("url").asText("");
        if (url.startsWith("data:") || (!url.startsWith("http") && file.hasNonNull("file_data"))) {
            String data = url.startsWith("data:") ? url.substring(url.indexOf(',') + 1) : file.get("file_data").asText();
            byte[] bytes = Base64.getMimeDecoder().decode(data);
            String type = url.startsWith("data:") && url.contains(";") ? url.substring(5, url.indexOf(';')) : null;
            return new Source(new java.io.ByteArrayInputStream(bytes), bytes.length, type);
        }
        URI uri = URI.create(url);
        if (!hostAllowed(uri.getHost())) {
            throw new OutputCopyException("refusing to download from " + uri.getHost() + ": not a fal CDN host", null);
        }
        HttpResponse<InputStream> r;
        try {
            r = http.send(HttpRequest.newBuilder(uri).timeout(DOWNLOAD_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (r.statusCode() != 200) {
            r.body().close();
            throw new IOException("CDN answered " + r.statusCode());
        }
        return new Source(r.body(), r.headers().firstValueAsLong("content-length").orElse(-1),
                r.headers().firstValue("content-type").map(v -> v.split(";")[0].trim()).orElse(null));
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

    /** A file could not be copied; the poll path tries again. */
    public static final class OutputCopyException extends RuntimeException {
        public OutputCopyException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
