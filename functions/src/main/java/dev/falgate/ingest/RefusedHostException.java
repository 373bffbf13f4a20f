package dev.falgate.ingest;

import java.net.UnknownHostException;

/**
 * A host or address a fetch must not reach. An {@link UnknownHostException}, because that is
 * what HttpClient's {@code DnsResolver} may throw and its retry logic never retries one; the
 * fetcher finds it in the cause chain and answers {@code url_not_allowed}.
 *
 * <p>The message is safe to show to the caller; {@link #detail()} (the kind of address, for
 * our logs) is not, since it would help map the network behind the gateway.
 */
public final class RefusedHostException extends UnknownHostException {
    private final String detail;

    RefusedHostException(String message, String detail) {
        super(message);
        this.detail = detail;
    }

    static RefusedHostException forAddress(AddressPolicy.Kind kind) {
        return new RefusedHostException("the host is or resolves to a private or reserved address", kind.name());
    }

    public String detail() {
        return detail;
    }
}
