package dev.falgate.read;

import dev.falgate.config.SecretSource;
import dev.falgate.http.ApiException;
import dev.falgate.jobs.Ids;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque, tamper-proof list cursors: the last job id of a page with an HMAC over that id, the
 * tenant and the filters. A cursor of another tenant or of other filters does not verify.
 */
public final class Cursors {
    private static final int MAC_BYTES = 16;

    private final SecretSource secret;

    public Cursors(SecretSource secret) {
        this.secret = secret;
    }

    public String encode(String tenant, String status, String model, String lastJobId) {
        byte[] id = lastJobId.getBytes(StandardCharsets.UTF_8);
        byte[] mac = mac(tenant, status, model, lastJobId);
        byte[] out = new byte[id.length + MAC_BYTES];
        System.arraycopy(id, 0, out, 0, id.length);
        System.arraycopy(mac, 0, out, id.length, MAC_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }

    /** The job id to continue after, or a 400 {@code invalid_cursor}. */
    public String decode(String tenant, String status, String model, String cursor) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (raw.length <= MAC_BYTES) {
            throw invalid();
        }
        String id = new String(raw, 0, raw.length - MAC_BYTES, StandardCharsets.UTF_8);
        byte[] given = Arrays.copyOfRange(raw, raw.length - MAC_BYTES, raw.length);
        if (!Ids.isJobId(id) || !MessageDigest.isEqual(given, mac(tenant, status, model, id))) {
            throw invalid();
        }
        return id;
    }

    private byte[] mac(String tenant, String status, String model, String lastJobId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.get().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String message = String.join("\u0000", "v1", tenant, String.valueOf(status), String.valueOf(model), lastJobId);
            return Arrays.copyOf(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiException invalid() {
        String message = "cursor is not valid for this list";
        return new ApiException(400, "invalid_cursor", message,
                java.util.List.of(new dev.falgate.http.FieldError("cursor", "invalid_cursor", message)));
    }
}
