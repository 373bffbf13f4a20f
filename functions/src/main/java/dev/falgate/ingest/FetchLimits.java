package dev.falgate.ingest;

import java.time.Duration;

/**
 * How long and how much a fetch may take. The defaults fit the submit function: API Gateway
 * answers within 30 s, so all URL inputs of a request together, redirects included, get 10 s
 * (leaving time to store them, write the job and call fal, whose submit gives up after 15 s),
 * and the cap keeps a file within what that time can stream. Larger files go through
 * {@code POST /v1/uploads}, straight to S3.
 *
 * @param connectTimeout per connection attempt, and per TLS handshake
 * @param readTimeout the longest silence while waiting for or reading the answer
 * @param totalTimeout the whole fetch, every redirect included; a slow trickle cannot outlast it.
 *     Shared by all URL inputs of a request when they draw on one {@link FetchBudget}
 * @param maxBytes the largest body accepted
 * @param maxRedirects redirects followed before giving up
 */
public record FetchLimits(Duration connectTimeout, Duration readTimeout, Duration totalTimeout, long maxBytes,
        int maxRedirects) {
    public static final FetchLimits DEFAULTS = new FetchLimits(Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(10), 25L * 1024 * 1024, 3);

    public FetchLimits {
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(readTimeout, "readTimeout");
        requirePositive(totalTimeout, "totalTimeout");
        if (maxBytes <= 0 || maxRedirects < 0) {
            throw new IllegalArgumentException("maxBytes must be positive and maxRedirects not negative");
        }
    }

    /** The same limits with another total time (a setting, so tests can shorten it). */
    public FetchLimits withTotalTimeout(Duration total) {
        return new FetchLimits(connectTimeout, readTimeout, total, maxBytes, maxRedirects);
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
