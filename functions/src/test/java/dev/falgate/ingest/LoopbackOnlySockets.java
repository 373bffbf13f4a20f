package dev.falgate.ingest;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.hc.client5.http.io.DetachedSocketFactory;

/**
 * The fetcher's sockets in tests: the production {@link CheckedSocket} check first, then every
 * target it lets through is recorded, and only loopback targets are really connected. Any
 * other connect fails here, so no test can reach a private or public address, even one that
 * a bug let through.
 */
final class LoopbackOnlySockets {
    private final List<InetSocketAddress> dialled = new CopyOnWriteArrayList<>();

    DetachedSocketFactory factory(SafeDnsResolver resolver) {
        return proxy -> new CheckedSocket(resolver::mayConnectTo) {
            @Override
            void dial(InetSocketAddress target, int timeout) throws IOException {
                dialled.add(target);
                if (!target.getAddress().isLoopbackAddress()) {
                    throw new ConnectException("test stub: no connection leaves loopback");
                }
                super.dial(target, timeout);
            }
        };
    }

    /** A fetcher that connects only through these sockets and keeps its files in {@code temp}. */
    UrlFetcher fetcher(FetchLimits limits, SafeDnsResolver resolver, Path temp) {
        return new UrlFetcher(limits, resolver, factory(resolver), temp);
    }

    /** Every target a socket got past the check for, in order. */
    List<InetSocketAddress> dialled() {
        return List.copyOf(dialled);
    }
}
