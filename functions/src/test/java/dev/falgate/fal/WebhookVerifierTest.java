package dev.falgate.fal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookVerifierTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private final AtomicReference<String> jwks = new AtomicReference<>();
    private HttpServer server;
    private final AtomicReference<Instant> now = new AtomicReference<>(NOW);
    private WebhookVerifier verifier;
    private KeyPair falKey;

    @BeforeEach
    void startJwks() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/.well-known/jwks.json", ex -> {
            byte[] body = jwks.get().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        falKey = newKey();
        jwks.set(jwksOf(falKey));
        verifier = new WebhookVerifier(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json"),
                new Clock() {
                    @Override
                    public ZoneOffset getZone() {
                        return ZoneOffset.UTC;
                    }

                    @Override
                    public Clock withZone(java.time.ZoneId zone) {
                        return this;
                    }

                    @Override
                    public Instant instant() {
                        return now.get();
                    }
                });
    }

    private static Optional<String> requestId(Optional<WebhookVerifier.Verified> verified) {
        return verified.map(WebhookVerifier.Verified::requestId);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void acceptsAWebhookSignedByFalsKey() throws Exception {
        byte[] body = "{\"request_id\":\"r1\",\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(requestId(verifier.verify(headers(falKey, "r1", NOW.getEpochSecond(), body)::get, body))).contains("r1");
    }

    @Test
    void refusesAOneByteChangeToTheBody() throws Exception {
        byte[] body = "{\"request_id\":\"r1\",\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8);
        Map<String, Optional<String>> h = headers(falKey, "r1", NOW.getEpochSecond(), body);
        byte[] changed = Arrays.copyOf(body, body.length);
        changed[5] ^= 1;
        assertThat(verifier.verify(h::get, changed)).isEmpty();
    }

    @Test
    void refusesASignatureByAnotherKey() throws Exception {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        assertThat(verifier.verify(headers(newKey(), "r1", NOW.getEpochSecond(), body)::get, body)).isEmpty();
    }

    @Test
    void refusesATimestampOlderThanFiveMinutes() throws Exception {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        assertThat(verifier.verify(headers(falKey, "r1", NOW.getEpochSecond() - 301, body)::get, body)).isEmpty();
        assertThat(requestId(verifier.verify(headers(falKey, "r1", NOW.getEpochSecond() - 299, body)::get, body))).contains("r1");
    }

    @Test
    void refusesMissingHeaders() throws Exception {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        Map<String, Optional<String>> h = new java.util.HashMap<>(headers(falKey, "r1", NOW.getEpochSecond(), body));
        h.put("x-fal-webhook-user-id", Optional.empty());
        assertThat(verifier.verify(name -> h.getOrDefault(name, Optional.empty()), body)).isEmpty();
    }

    @Test
    void picksUpARotatedKeyWithoutARestart() throws Exception {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        assertThat(verifier.verify(headers(falKey, "r1", NOW.getEpochSecond(), body)::get, body)).isPresent();
        KeyPair rotated = newKey();
        jwks.set(jwksOf(rotated, falKey));
        // the same verifier, its JWKS cached without the new key: one refetch is allowed after 30 s
        now.set(NOW.plusSeconds(10));
        assertThat(verifier.verify(headers(rotated, "r2", NOW.getEpochSecond() + 10, body)::get, body))
                .as("within 30 s of the last fetch, the JWKS is not fetched again").isEmpty();
        now.set(NOW.plusSeconds(31));
        assertThat(requestId(verifier.verify(headers(rotated, "r2", NOW.getEpochSecond() + 31, body)::get, body)))
                .contains("r2");
    }

    @Test
    void theSignedUserIdIsReported() throws Exception {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        Map<String, Optional<String>> h = headers(falKey, "r1", NOW.getEpochSecond(), body);
        assertThat(verifier.verify(h::get, body)).map(WebhookVerifier.Verified::userId).isEqualTo(h.get("x-fal-webhook-user-id"));
    }

    static KeyPair newKey() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    static String jwksOf(KeyPair... keys) {
        StringBuilder sb = new StringBuilder("{\"keys\":[");
        for (int i = 0; i < keys.length; i++) {
            byte[] enc = keys[i].getPublic().getEncoded();
            String x = Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOfRange(enc, enc.length - 32, enc.length));
            sb.append(i > 0 ? "," : "").append("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"").append(x).append("\"}");
        }
        return sb.append("]}").toString();
    }

    static Map<String, Optional<String>> headers(KeyPair key, String requestId, long ts, byte[] body) throws Exception {
        String message = String.join("\n", requestId, "user-1", Long.toString(ts), WebhookVerifier.sha256Hex(body));
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key.getPrivate());
        s.update(message.getBytes(StandardCharsets.UTF_8));
        return Map.of("x-fal-webhook-request-id", Optional.of(requestId),
                "x-fal-webhook-user-id", Optional.of("user-1"),
                "x-fal-webhook-timestamp", Optional.of(Long.toString(ts)),
                "x-fal-webhook-signature", Optional.of(HexFormat.of().formatHex(s.sign())));
    }
}
