package dev.falgate.read;

import dev.falgate.http.ApiException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code wait} preference of a {@code Prefer} header (RFC 7240): {@code wait} alone asks for
 * the longest wait, {@code wait=N} for N seconds, 1 to {@link #MAX_SECONDS}. Other preferences
 * are ignored, as the RFC allows; a {@code wait} we cannot honour as written is a 400 naming the
 * header, checked before anything is stored. The same rules apply to the {@code wait} query
 * parameter of {@code GET /v1/jobs/{id}}.
 */
public final class WaitPreference {
    public static final int MAX_SECONDS = 25;
    public static final String HEADER = "Prefer";
    public static final String QUERY_PARAMETER = "wait";

    private WaitPreference() {
    }

    /** The wait asked for, or empty when the header has no {@code wait} preference. */
    public static Optional<Duration> parse(Optional<String> header) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        for (String preference : header.get().split(",")) {
            String token = preference.split(";", 2)[0].trim(); // parameters after ';' are ignored
            String[] nameValue = token.split("=", 2);
            if (!nameValue[0].trim().toLowerCase(Locale.ROOT).equals("wait")) {
                continue;
            }
            if (nameValue.length == 1) {
                return Optional.of(Duration.ofSeconds(MAX_SECONDS));
            }
            return Optional.of(Duration.ofSeconds(seconds(HEADER, nameValue[1].trim().replace("\"", ""))));
        }
        return Optional.empty();
    }

    /** {@code ?wait=N}: N seconds, 1 to {@link #MAX_SECONDS}; empty when the parameter is absent. */
    public static Optional<Duration> fromQuery(Optional<String> value) {
        return value.map(v -> Duration.ofSeconds(seconds(QUERY_PARAMETER, v.trim())));
    }

    private static int seconds(String field, String value) {
        if (!value.matches("\\d{1,3}")) {
            throw ApiException.validation(field, "invalid_type", "wait must be a whole number of seconds, 1 to " + MAX_SECONDS);
        }
        int seconds = Integer.parseInt(value);
        if (seconds < 1 || seconds > MAX_SECONDS) {
            throw ApiException.validation(field, "out_of_range", "wait must be 1 to " + MAX_SECONDS + " seconds");
        }
        return seconds;
    }
}
