package dev.falgate.local.fal;

import java.net.URI;

/**
 * A fal emulator running in another process ({@code ./falgate fal-emulator}), e.g. one that
 * outlives the local stack in a crash test. Same protocol as the embedded one.
 */
public final class ExternalFal implements FalBackend {
    private final URI base;
    private final String key;
    private final double speed;

    private ExternalFal(URI base, String key, double speed) {
        this.base = base;
        this.key = key;
        this.speed = speed;
    }

    public static FalBackend.Starter starter(URI base, String key, double speed) {
        return () -> new ExternalFal(base, key, speed);
    }

    @Override
    public URI baseUrl() {
        return base;
    }

    @Override
    public URI jwksUrl() {
        return URI.create(base + "/.well-known/jwks.json");
    }

    @Override
    public String apiKey() {
        return key;
    }

    @Override
    public double timeScale() {
        return speed;
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
