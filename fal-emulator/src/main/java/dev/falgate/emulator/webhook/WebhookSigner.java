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
 * published, as during a key rotation; the newer one signs.
 */
public final class WebhookSigner {
    private final KeyPair older;
    private final KeyPair newer;

    private WebhookSigner(KeyPair older, KeyPair newer) {
        this.older = older;
        this.newer = newer;
    }

    public static WebhookSigner generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            return new WebhookSigner(generator.generateKeyPair(), generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 unavailable", e);
        }
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
            signature.initSign(newer.getPrivate());
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
        List<KeyPair> published = List.of(newer, older);
        for (int i = 0; i < published.size(); i++) {
            keys.addObject()
                    .put("kty", "OKP")
                    .put("crv", "Ed25519")
                    .put("use", "sig")
                    .put("alg", "EdDSA")
                    .put("kid", "falgate-emulator-" + (published.size() - i))
                    .put("x", rawPublicKey(published.get(i)));
        }
        return jwks;
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
