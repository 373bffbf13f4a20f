package dev.falgate.emulator.webhook;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.emulator.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * fal's webhook signature (fal-protocol.md §3): Ed25519 over
 * {@code requestId \n userId \n timestamp \n hex(sha256(raw body))}, hex-encoded. Two keys are
 * published, as during a key rotation; the newer one signs. {@link #rotate()} adds a newer key
 * and keeps the previous one published, so receivers that cached the old JWKS must refetch.
 * Signed with Bouncy Castle's Ed25519 (standard, deterministic signatures the JDK verifies): the
 * JDK's own takes about ten times as long under C1, which {@code ./falgate local} runs with, and
 * was an eighth of the load run's CPU.
 */
public final class WebhookSigner {
    private record SigningKey(String kid, Ed25519PrivateKeyParameters key) {
    }

    private final SecureRandom random = new SecureRandom();
    private int generation;
    /** Newest first; always two keys. */
    private volatile List<SigningKey> published;

    private WebhookSigner() {
        SigningKey older = newKey();
        this.published = List.of(newKey(), older);
    }

    public static WebhookSigner generate() {
        return new WebhookSigner();
    }

    /** Publishes a newer key and signs with it from now on; the previous newest stays published. */
    public synchronized void rotate() {
        published = List.of(newKey(), published.get(0));
    }

    /** The message fal signs, exactly: no trailing newline, lowercase hex digest. */
    public static byte[] message(String requestId, String userId, String timestamp, byte[] body) {
        String digest = HexFormat.of().formatHex(sha256(body));
        return String.join("\n", requestId, userId, timestamp, digest)
                .getBytes(StandardCharsets.UTF_8);
    }

    public String sign(String requestId, String userId, String timestamp, byte[] body) {
        byte[] message = message(requestId, userId, timestamp, body);
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, published.get(0).key());
        signer.update(message, 0, message.length);
        return HexFormat.of().formatHex(signer.generateSignature());
    }

    /** {@code {"keys":[...]}}, newest first; {@code x} = base64url (no padding) raw key. */
    public ObjectNode jwks() {
        ObjectNode jwks = Json.object();
        ArrayNode keys = jwks.putArray("keys");
        for (SigningKey key : published) {
            keys.addObject()
                    .put("kty", "OKP")
                    .put("crv", "Ed25519")
                    .put("use", "sig")
                    .put("alg", "EdDSA")
                    .put("kid", key.kid())
                    .put("x", Base64.getUrlEncoder().withoutPadding()
                            .encodeToString(key.key().generatePublicKey().getEncoded()));
        }
        return jwks;
    }

    private synchronized SigningKey newKey() {
        generation++;
        return new SigningKey("falgate-emulator-" + generation, new Ed25519PrivateKeyParameters(random));
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
