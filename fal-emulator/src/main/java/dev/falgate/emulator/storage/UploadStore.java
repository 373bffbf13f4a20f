package dev.falgate.emulator.storage;

import dev.falgate.emulator.output.StoredFile;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * fal's storage as {@code fal.storage.upload} uses it (fal-protocol.md §5): initiate hands out
 * a PUT URL carrying a secret token (like a signed URL) and the public file URL; the file is
 * readable once the PUT arrived. Both URLs point at the emulator, as the JS client PUTs
 * directly (never through its proxy). Files stay for the emulator's lifetime.
 */
public final class UploadStore {
    private record Upload(String fileName, String contentType, String token) {
    }

    private final URI baseUrl;
    private final Map<String, Upload> initiated = new ConcurrentHashMap<>();
    private final Map<String, StoredFile> uploaded = new ConcurrentHashMap<>();

    public UploadStore(URI baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** What initiate answers. */
    public record Initiated(URI uploadUrl, URI fileUrl) {
    }

    public Initiated initiate(String fileName, String contentType) {
        String id = UUID.randomUUID().toString();
        Upload upload = new Upload(safeName(fileName), contentType,
                UUID.randomUUID().toString().replace("-", ""));
        initiated.put(id, upload);
        URI fileUrl = URI.create(baseUrl + "/uploads/" + id + "/" + upload.fileName());
        return new Initiated(URI.create(fileUrl + "?token=" + upload.token()), fileUrl);
    }

    /** Stores the bytes PUT to an upload URL; false when no such upload or the token is wrong. */
    public boolean put(String id, String fileName, String token, byte[] bytes,
            String contentType) {
        Upload upload = initiated.get(id);
        if (upload == null || !upload.fileName().equals(fileName)
                || !upload.token().equals(token)) {
            return false;
        }
        String type = contentType != null ? contentType : upload.contentType();
        uploaded.put(id, new StoredFile(bytes, type != null ? type : "application/octet-stream"));
        return true;
    }

    public Optional<StoredFile> get(String id, String fileName) {
        Upload upload = initiated.get(id);
        if (upload == null || !upload.fileName().equals(fileName)) {
            return Optional.empty();
        }
        return Optional.ofNullable(uploaded.get(id));
    }

    /** One URL path segment: the JS client names files "<epoch ms>.<ext>" or as the File is named. */
    static String safeName(String fileName) {
        String name = fileName == null ? "" : fileName.replaceAll("[^A-Za-z0-9._-]", "_");
        return name.isEmpty() || name.chars().allMatch(c -> c == '.') ? "file" : name;
    }
}
