package dev.falgate.emulator.output;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The emulator's "CDN": output files in memory, per request, until the request is evicted. */
public final class FileStore {
    private final URI baseUrl;
    private final Map<String, Map<String, StoredFile>> byRequest = new ConcurrentHashMap<>();

    public FileStore(URI baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Stores the file and returns its public URL. */
    public URI put(String requestId, String name, StoredFile file) {
        byRequest.computeIfAbsent(requestId, id -> new ConcurrentHashMap<>()).put(name, file);
        return URI.create(baseUrl + "/files/" + requestId + "/" + name);
    }

    public Optional<StoredFile> get(String requestId, String name) {
        return Optional.ofNullable(byRequest.getOrDefault(requestId, Map.of()).get(name));
    }

    /** Whether the request has output files on the CDN (not inline, not yet removed). */
    public boolean hasFiles(String requestId) {
        return !byRequest.getOrDefault(requestId, Map.of()).isEmpty();
    }

    /** The prefix of every output file URL: {@code {base}/files/}. */
    public String urlPrefix() {
        return baseUrl + "/files/";
    }

    public void remove(String requestId) {
        byRequest.remove(requestId);
    }
}
