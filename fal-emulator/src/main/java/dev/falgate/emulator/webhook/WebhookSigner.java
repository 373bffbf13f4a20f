package dev.falgate.emulator.webhook;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.emulator.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * fal's webhook signature (fal-protocol.md §3): Ed25519 over
 * {@code requestId \n userId \n timestamp \n hex(sha256(raw body))}, hex-encoded. Two keys are
 * published, as during a key rotation; the newer one signs. {@link #rotate()} adds a newer key
 * and keeps the previous one published, so receivers that cached the old JWKS must refetch.
 */
public final class WebhookSigner {
    private record SigningKey(String kid, KeyPair pair) {
    }

    private final KeyPairGenerator generator;
    private int generation;
    /** Newest first; always two keys. */
    private volatile List<SigningKey> published;

    private WebhookSigner(KeyPairGenerator generator) {
        this.generator = generator;
        SigningKey older = newKey();
        this.published = List.of(newKey(), older);
    }

    public static WebhookSigner generate() {
        try {
            return new WebhookSigner(KeyPairGenerator.getInstance("Ed25519"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 unavailable", e);
        }
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
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(published.get(0).pair().getPrivate());
            signature.update(message(requestId, userId, timestamp, body));
            return HexFormat.of().formatHex(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
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
                    .put("x", rawPublicKey(key.pair()));
        }
        return jwks;
    }

    private synchronized SigningKey newKey() {
        generation++;
        return new SigningKey("falgate-emulator-" + generation, generator.generateKeyPair());
    }

    /** The X.509 encoding ends with the 32-byte raw key. */
    private static String rawPublicKey(KeyPair pair) {
        byte[] encoded = pair.getPublic().getEncoded();
        byte[] raw = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
