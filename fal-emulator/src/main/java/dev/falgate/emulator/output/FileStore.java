package dev.falgate.emulator.output;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The emulator's "CDN": output files in memory, per request, until the request is evicted. */
public final class FileStore {
    private final URI baseUrl;
    private final Map<String, Map<String, StoredFile>> byRequest = new ConcurrentHashMap<>();
    /** System.nanoTime() after which a request's files are gone (its lifecycle preference). */
    private final Map<String, Long> expiresAtNanos = new ConcurrentHashMap<>();

    public FileStore(URI baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Stores the file and returns its public URL. */
    public URI put(String requestId, String name, StoredFile file) {
        byRequest.computeIfAbsent(requestId, id -> new ConcurrentHashMap<>()).put(name, file);
        return URI.create(baseUrl + "/files/" + requestId + "/" + name);
    }

    public Optional<StoredFile> get(String requestId, String name) {
        Long expires = expiresAtNanos.get(requestId);
        if (expires != null && System.nanoTime() - expires >= 0) {
            remove(requestId);
            return Optional.empty();
        }
        return Optional.ofNullable(byRequest.getOrDefault(requestId, Map.of()).get(name));
    }

    /** The request's files (made later too) answer 404 once {@code kept} has passed from now. */
    public void expireAfter(String requestId, java.time.Duration kept) {
        expiresAtNanos.put(requestId, System.nanoTime() + kept.toNanos());
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
        expiresAtNanos.remove(requestId);
    }
}
