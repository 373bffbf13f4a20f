package dev.falgate.fal;

import dev.falgate.config.SecretSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The per-job token in the webhook URL falgate gives fal: an HMAC of the job id under this
 * deployment's webhook secret. fal signs every customer's webhooks with the same keys, so a
 * valid signature alone proves nothing about whose request it was; the token proves the URL
 * came from this deployment, for this job.
 */
public final class WebhookTokens {
    public static final String QUERY_PARAMETER = "token";
    private static final String PURPOSE = "falgate-webhook:v1:";

    private final SecretSource secret;

    public WebhookTokens(SecretSource secret) {
        this.secret = secret;
    }

    public String tokenFor(String jobId) {
        return dev.falgate.config.Hmac.tag(secret, PURPOSE + jobId);
    }

    /** Constant-time: how much of a wrong token matched never shows in the answer's timing. */
    public boolean verifies(String jobId, Optional<String> token) {
        byte[] expected = tokenFor(jobId).getBytes(StandardCharsets.US_ASCII);
        byte[] given = token.orElse("").getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }

    /** The URL fal calls back for the job: {@code base} plus this job's token. */
    public String withToken(String webhookUrl, String jobId) {
        return webhookUrl + (webhookUrl.contains("?") ? "&" : "?") + QUERY_PARAMETER + "=" + tokenFor(jobId);
    }
}
