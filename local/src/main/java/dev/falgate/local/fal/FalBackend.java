package dev.falgate.local.fal;

import java.net.URI;

/**
 * The fal the handlers talk to locally: normally the in-process fal emulator. An interface so the
 * stack can run (and be tested) with no fal at all, or with a stand-in.
 */
public interface FalBackend extends AutoCloseable {

    /** Base of fal's queue API ({@code FalQueueBaseUrl}). */
    URI baseUrl();

    /** JWKS with the webhook signing keys ({@code FalJwksUrl}). */
    URI jwksUrl();

    /** The key the handlers send ({@code FAL_KEY}). */
    String apiKey();

    /** How much faster than fal it runs: the handlers divide their poll delays by it. */
    double timeScale();

    @Override
    void close();

    /** Starts a backend when the stack starts. */
    @FunctionalInterface
    interface Starter {
        FalBackend start();
    }
}
