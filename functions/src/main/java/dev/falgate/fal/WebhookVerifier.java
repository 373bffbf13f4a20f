package dev.falgate.fal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.http.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Verifies fal's webhook signatures: Ed25519 over
 * {@code request_id \n user_id \n timestamp \n hex(sha256(body))}, with any key of fal's JWKS,
 * and a timestamp within five minutes. Keys are cached for an hour (fal: never over 24 h) and
 * refetched once when no cached key verifies, so a key rotation is picked up at once.
 */
public final class WebhookVerifier {
    public static final Duration MAX_SKEW = Duration.ofSeconds(300);
    private static final Duration KEYS_TTL = Duration.ofHours(1);
    private static final Duration MIN_REFETCH_INTERVAL = Duration.ofSeconds(30);
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);
    /** DER prefix of an X.509 SubjectPublicKeyInfo for a raw 32-byte Ed25519 key. */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final URI jwksUrl;
    private final Clock clock;
    /** Replaced whole by a fetch; read without a lock, so concurrent webhooks verify in parallel. */
    private volatile KeySet known = new KeySet(List.of(), Instant.EPOCH);

    private record KeySet(List<PublicKey> keys, Instant fetchedAt) {
    }

    /** The JWKS is fetched over {@link java.net.HttpURLConnection}, which the SDK's HTTP client has loaded already: a cold start does not build the JDK's HttpClient (its SSL context included) for one GET. */
    public WebhookVerifier(URI jwksUrl, Clock clock) {
        this.jwksUrl = jwksUrl;
        this.clock = clock;
    }

    /** What a valid signature vouches for: the request and the fal account it ran under. */
    public record Verified(String requestId, String userId) {
    }

    /** The signed request and user ids, or empty when the webhook must be refused. */
    public Optional<Verified> verify(Function<String, Optional<String>> header, byte[] body) {
        Optional<String> requestId = header.apply("x-fal-webhook-request-id");
        Optional<String> userId = header.apply("x-fal-webhook-user-id");
        Optional<String> timestamp = header.apply("x-fal-webhook-timestamp");
        Optional<String> signature = header.apply("x-fal-webhook-signature");
        if (requestId.isEmpty() || userId.isEmpty() || timestamp.isEmpty() || signature.isEmpty()) {
            return Optional.empty();
        }
        if (!fresh(timestamp.get())) {
            return Optional.empty();
        }
        byte[] sig;
        try {
            sig = HexFormat.of().parseHex(signature.get().trim());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (sig.length != 64) {
            return Optional.empty();
        }
        byte[] message = String.join("\n", requestId.get(), userId.get(), timestamp.get(), sha256Hex(body))
                .getBytes(StandardCharsets.UTF_8);
        return anyKeyVerifies(message, sig) ? Optional.of(new Verified(requestId.get(), userId.get())) : Optional.empty();
    }

    private boolean fresh(String timestamp) {
        try {
            long ts = Long.parseLong(timestamp.trim());
            return Math.abs(clock.instant().getEpochSecond() - ts) <= MAX_SKEW.toSeconds();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Only fetching the keys is serialised: the Ed25519 checks run outside any lock (one handler
     * instance serves many invocations at once in the local runner, and a check is milliseconds).
     */
    private boolean anyKeyVerifies(byte[] message, byte[] sig) {
        Instant now = clock.instant();
        KeySet keys = known;
        if (keys.fetchedAt().plus(KEYS_TTL).isBefore(now)) {
            keys = refresh(keys, now);
        }
        if (verifiesWith(keys.keys(), message, sig)) {
            return true;
        }
        if (keys.fetchedAt().plus(MIN_REFETCH_INTERVAL).isBefore(now)) {
            KeySet refreshed = refresh(keys, now);
            return refreshed != keys && verifiesWith(refreshed.keys(), message, sig);
        }
        return false;
    }

    private static boolean verifiesWith(List<PublicKey> candidates, byte[] message, byte[] sig) {
        for (PublicKey key : candidates) {
            try {
                Signature s = Signature.getInstance("Ed25519");
                s.initVerify(key);
                s.update(message);
                if (s.verify(sig)) {
                    return true;
                }
            } catch (GeneralSecurityException e) {
                // a malformed signature for this key: try the next
            }
        }
        return false;
    }

    /** Fetches the JWKS unless another caller replaced {@code seen} meanwhile; the keys to use now. */
    private synchronized KeySet refresh(KeySet seen, Instant now) {
        if (known != seen) {
            return known;
        }
        try {
            java.net.HttpURLConnection c = (java.net.HttpURLConnection) jwksUrl.toURL().openConnection();
            c.setInstanceFollowRedirects(false); // as the HttpClient it replaces: no redirects
            c.setConnectTimeout((int) FETCH_TIMEOUT.toMillis());
            c.setReadTimeout((int) FETCH_TIMEOUT.toMillis());
            try {
                if (c.getResponseCode() == 200) {
                    try (java.io.InputStream in = c.getInputStream()) {
                        known = new KeySet(parseJwks(Json.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))), now);
                    }
                }
            } finally {
                c.disconnect();
            }
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            // keep the keys we have; a later webhook retries the fetch
        }
        return known;
    }

    static List<PublicKey> parseJwks(JsonNode jwks) {
        List<PublicKey> out = new ArrayList<>();
        for (JsonNode k : jwks.path("keys")) {
            if (!k.hasNonNull("x") || (k.has("crv") && !"Ed25519".equals(k.get("crv").asText()))) {
                continue;
            }
            try {
                byte[] raw = Base64.getUrlDecoder().decode(k.get("x").asText().replace("=", ""));
                if (raw.length != 32) {
                    continue;
                }
                byte[] spki = new byte[ED25519_SPKI_PREFIX.length + 32];
                System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
                System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, 32);
                out.add(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki)));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // skip a key we cannot read
            }
        }
        return List.copyOf(out);
    }

    static String sha256Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
