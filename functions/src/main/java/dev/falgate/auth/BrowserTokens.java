package dev.falgate.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.config.Hmac;
import dev.falgate.config.SecretSource;
import dev.falgate.http.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Short-lived browser tokens for {@code /api/fal/proxy}: stateless, {@code fgt_<payload>.<tag>}
 * where the payload names the tenant, the expiry and optionally the models, and the tag is an
 * HMAC under the deployment's webhook secret with a purpose prefix of its own (so a token can
 * never pass for a webhook token or the other way round). Nothing is stored; a token lives
 * until it expires (at most {@link #MAX_TTL_SECONDS}).
 */
public final class BrowserTokens {
    public static final String PREFIX = "fgt_";
    public static final long MAX_TTL_SECONDS = 3600;
    public static final long DEFAULT_TTL_SECONDS = 900;
    private static final String PURPOSE = "falgate-browser-token:v1:";

    /** What a valid token grants: a tenant, until a time, for some models (empty: all). */
    public record Grant(String tenant, Instant expiresAt, List<String> models) {
        public boolean allows(String model) {
            return models.isEmpty() || models.contains(model);
        }
    }

    private final SecretSource secret;
    private final Clock clock;

    public BrowserTokens(SecretSource secret, Clock clock) {
        this.secret = secret;
        this.clock = clock;
    }

    public String mint(String tenant, List<String> models, long ttlSeconds) {
        return mint(new Grant(tenant, clock.instant().plusSeconds(ttlSeconds), List.copyOf(models)));
    }

    public String mint(Grant grant) {
        ObjectNode payload = Json.object().put("t", grant.tenant()).put("exp", grant.expiresAt().getEpochSecond());
        if (!grant.models().isEmpty()) {
            ArrayNode models = payload.putArray("m");
            grant.models().forEach(models::add);
        }
        String body = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Json.write(payload).getBytes(StandardCharsets.UTF_8));
        return PREFIX + body + "." + tag(body);
    }

    public static boolean looksLikeToken(String value) {
        return value.startsWith(PREFIX);
    }

    /** The token's grant if its tag is ours (compared in constant time) and it has not expired. */
    public Optional<Grant> verify(String token) {
        int dot = token.lastIndexOf('.');
        if (!looksLikeToken(token) || dot <= PREFIX.length()) {
            return Optional.empty();
        }
        String body = token.substring(PREFIX.length(), dot);
        byte[] expected = tag(body).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        JsonNode payload = Json.parse(new String(Base64.getUrlDecoder().decode(body), StandardCharsets.UTF_8));
        Instant expiresAt = Instant.ofEpochSecond(payload.path("exp").asLong());
        if (!clock.instant().isBefore(expiresAt)) {
            return Optional.empty();
        }
        List<String> models = new ArrayList<>();
        payload.path("m").forEach(m -> models.add(m.asText()));
        return Optional.of(new Grant(payload.path("t").asText(), expiresAt, models));
    }

    private String tag(String body) {
        return Hmac.tag(secret, PURPOSE + body);
    }
}
