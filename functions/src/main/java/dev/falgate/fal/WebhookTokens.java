package dev.falgate.fal;

import dev.falgate.config.SecretSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The per-job token in the webhook URL falgate gives fal: an HMAC of the job id (and the URL's
 * {@link Scope}) under this deployment's webhook secret. fal signs every customer's webhooks with the same keys, so a
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
        return tag(jobId, "");
    }

    /**
     * What a webhook URL carries besides its job id, bound by the same token: the job's tenant and
     * model, so the callback can copy a result's outputs (under the tenant's prefix) before it
     * reads or writes the job.
     */
    public record Scope(String tenant, String model) {
        /** The URL's query as submit writes it (and the token covers it). */
        public String query() {
            return "tenant=" + encode(tenant) + "&model=" + encode(model);
        }

        /** The scope a webhook's URL names; empty when it names none (URLs made before scopes). */
        public static Optional<Scope> of(Optional<String> tenant, Optional<String> model) {
            return tenant.isPresent() && model.isPresent() ? Optional.of(new Scope(tenant.get(), model.get())) : Optional.empty();
        }

        /**
         * Percent-encoded, but '/' kept (legal in a query): tenants and model ids then need no
         * escape at all, so the value reads the same whether or not the HTTP API decodes it.
         */
        private static String encode(String s) {
            return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("%2F", "/");
        }
    }

    private String tag(String jobId, String query) {
        return dev.falgate.config.Hmac.tag(secret, PURPOSE + jobId + (query.isEmpty() ? "" : "?" + query));
    }

    public boolean verifies(String jobId, Optional<String> token) {
        return verifies(jobId, Optional.empty(), token);
    }

    /** Constant-time: how much of a wrong token matched never shows in the answer's timing. */
    public boolean verifies(String jobId, Optional<Scope> scope, Optional<String> token) {
        byte[] expected = tag(jobId, scope.map(Scope::query).orElse("")).getBytes(StandardCharsets.US_ASCII);
        byte[] given = token.orElse("").getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }

    /** The URL fal calls back for the job: {@code webhookUrl} (with its scope, if any) plus a token that covers both. */
    public String withToken(String webhookUrl, String jobId) {
        int q = webhookUrl.indexOf('?');
        String query = q < 0 ? "" : webhookUrl.substring(q + 1);
        return webhookUrl + (q < 0 ? "?" : "&") + QUERY_PARAMETER + "=" + tag(jobId, query);
    }
}
