package dev.falgate.local;

import java.util.Arrays;
import java.util.List;

/** An API key the stack registers at start (through falgate's own {@code ApiKeyStore}). */
public record ApiKey(String tenant, String rawKey) {

    /** {@code tenant:key,tenant:key}, the format of {@code FALGATE_API_KEYS}. */
    public static List<ApiKey> parseList(String spec) {
        if (spec == null || spec.isBlank()) {
            return List.of();
        }
        return Arrays.stream(spec.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(pair -> {
            int colon = pair.indexOf(':');
            if (colon <= 0 || colon == pair.length() - 1) {
                throw new IllegalArgumentException("expected tenant:key, got " + pair);
            }
            return new ApiKey(pair.substring(0, colon), pair.substring(colon + 1));
        }).toList();
    }

    public String asSpec() {
        return tenant + ":" + rawKey;
    }

    @Override
    public String toString() {
        return "ApiKey[" + tenant + ", ****]";
    }
}
