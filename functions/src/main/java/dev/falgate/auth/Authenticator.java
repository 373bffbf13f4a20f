package dev.falgate.auth;

import dev.falgate.http.ApiException;
import dev.falgate.http.ApiRequest;

/** Turns {@code Authorization: Bearer <api key>} into the caller's tenant, or a 401. */
public final class Authenticator {
    private final ApiKeyCache keys;

    public Authenticator(ApiKeyStore keys) {
        this(keys, java.time.Clock.systemUTC());
    }

    /** Keys are looked up through an {@link ApiKeyCache}: a revoked key stops working within its lifetime. */
    public Authenticator(ApiKeyStore keys, java.time.Clock clock) {
        this.keys = new ApiKeyCache(keys::tenantOf, clock);
    }

    public String tenant(ApiRequest request) {
        String header = request.header("authorization").orElse("");
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            throw unauthorized();
        }
        String tenant = keys.tenantOf(header.substring(7).trim()).orElseThrow(Authenticator::unauthorized);
        dev.falgate.telemetry.LogContext.tenant(tenant);
        return tenant;
    }

    private static ApiException unauthorized() {
        return new ApiException(401, "unauthorized", "a valid API key is required: Authorization: Bearer <key>");
    }
}
