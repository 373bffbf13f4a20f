package dev.falgate.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** Verifies a fal webhook the way fal-protocol.md §3 tells a receiver to (independent code). */
final class JwksVerifier {
    private static final byte[] ED25519_SPKI_PREFIX =
            HexFormat.of().parseHex("302a300506032b6570032100");

    private final List<PublicKey> keys = new ArrayList<>();

    JwksVerifier(JsonNode jwks) throws GeneralSecurityException {
        for (JsonNode jwk : jwks.get("keys")) {
            if (jwk.path("kty").asText().equals("OKP") && jwk.path("crv").asText().equals("Ed25519")) {
                byte[] raw = Base64.getUrlDecoder().decode(jwk.get("x").asText());
                byte[] spki = new byte[ED25519_SPKI_PREFIX.length + raw.length];
                System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
                System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, raw.length);
                keys.add(KeyFactory.getInstance("Ed25519")
                        .generatePublic(new X509EncodedKeySpec(spki)));
            }
        }
    }

    int keyCount() {
        return keys.size();
    }

    boolean verify(String requestId, String userId, String timestamp, String signatureHex,
            byte[] body) throws GeneralSecurityException {
        byte[] signature = HexFormat.of().parseHex(signatureHex);
        if (signature.length != 64) {
            return false;
        }
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        byte[] message = String.join("\n", requestId, userId, timestamp, digest)
                .getBytes(StandardCharsets.UTF_8);
        for (PublicKey key : keys) {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message);
            if (verifier.verify(signature)) {
                return true;
            }
        }
        return false;
    }
}
