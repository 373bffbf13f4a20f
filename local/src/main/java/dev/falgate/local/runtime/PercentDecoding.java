package dev.falgate.local.runtime;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Decoding as API Gateway hands values to the function. */
final class PercentDecoding {
    private PercentDecoding() {
    }

    /** A path segment: {@code %XX} decoded, but {@code +} is a plus sign in a path. */
    static String decodePath(String raw) {
        return decodeQuery(raw.replace("+", "%2B"));
    }

    /** A query string name or value: {@code +} is a space. */
    static String decodeQuery(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return raw; // a stray '%': passed on as sent
        }
    }
}
