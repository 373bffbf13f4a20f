package dev.falgate.local.fal;

import java.net.URI;
import java.util.Map;

/**
 * The real fal.ai, for {@code ./falgate local} with a {@code FAL_KEY}. fal cannot reach a
 * laptop, so inputs go to fal through its own storage instead of presigned URLs of the local
 * bucket, and no webhook is asked for: the poller finishes every job.
 */
public final class RealFal implements FalBackend {
    public static final URI QUEUE = URI.create("https://queue.fal.run");
    public static final URI REST = URI.create("https://rest.fal.ai");

    /** What the handlers need to work with a fal that cannot call or read the laptop. */
    public static final Map<String, String> ENVIRONMENT = Map.of(
            "FAL_INPUT_STORAGE", "fal",
            "FAL_REST_BASE_URL", REST.toString(),
            "WEBHOOK_BASE_URL", "none");

    private final String key;

    private RealFal(String key) {
        this.key = key;
    }

    public static FalBackend.Starter starter(String key) {
        return () -> new RealFal(key);
    }

    @Override
    public URI baseUrl() {
        return QUEUE;
    }

    @Override
    public URI jwksUrl() {
        return REST.resolve("/.well-known/jwks.json");
    }

    @Override
    public String apiKey() {
        return key;
    }

    @Override
    public double timeScale() {
        return 1;
    }

    @Override
    public void close() {
        // nothing runs here
    }

    @Override
    public String toString() {
        return "RealFal[" + QUEUE + ", key ****]";
    }
}
