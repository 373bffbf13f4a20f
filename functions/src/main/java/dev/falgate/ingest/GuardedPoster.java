package dev.falgate.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;

/**
 * POSTs to URLs a caller named (partner webhooks) under the same SSRF rules as URL inputs:
 * {@link CheckedUrl}'s syntax, every address public ({@link SafeDnsResolver}, pinned, checked
 * again by the socket), no proxy, no redirects followed (a 3xx is just the answer), one total
 * timeout per attempt. Only https, except that a resolver allowing loopback addresses (the
 * local stack) also admits http:// to loopback.
 */
public final class GuardedPoster implements AutoCloseable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final SafeDnsResolver resolver;
    private final boolean httpToLoopback;
    private final Duration timeout;
    /** Built on the first delivery: most messages a function handles post nothing. */
    private final dev.falgate.config.Lazy<CloseableHttpClient> client;
    private final ScheduledThreadPoolExecutor deadlines = UrlFetcher.deadlineTimer();

    /**
     * @param httpToLoopback whether {@code http://} is admitted for targets that are loopback
     *     (only with a resolver that allows loopback addresses: {@code ./falgate local})
     */
    public GuardedPoster(SafeDnsResolver resolver, boolean httpToLoopback, Duration timeout) {
        this.resolver = resolver;
        this.httpToLoopback = httpToLoopback;
        this.timeout = timeout;
        FetchLimits limits = new FetchLimits(timeout, timeout, timeout, 1, 0);
        this.client = dev.falgate.config.Lazy.of(
                () -> UrlFetcher.httpClient(limits, resolver, CheckedSocket.factory(resolver::mayConnectTo)));
    }

    /**
     * Whether the URL may be a target: syntax, scheme, and (when the name resolves now) every
     * address. A name that does not resolve yet is accepted; every delivery checks again.
     *
     * @throws IngestException {@code url_not_allowed}, saying why
     */
    public URI check(String url) {
        CheckedUrl target = CheckedUrl.parse(url);
        URI uri = target.uri();
        InetAddress[] addresses = addresses(uri.getHost());
        boolean https = uri.getScheme().equals("https");
        if (!https && !(httpToLoopback && addresses.length > 0
                && Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress))) {
            throw IngestException.notAllowed(httpToLoopback
                    ? "must be an https:// URL (http:// only to loopback on a local stack)" : "must be an https:// URL");
        }
        return uri;
    }

    private InetAddress[] addresses(String host) {
        try {
            return resolver.resolve(host);
        } catch (RefusedHostException e) {
            throw IngestException.notAllowed(e.getMessage());
        } catch (UnknownHostException e) {
            return new InetAddress[0];
        }
    }

    /**
     * One POST, checked afresh; the status code of the answer, whatever it is.
     *
     * @throws IngestException when the target is not allowed (now, or at the connect)
     * @throws IOException when no answer came within the timeout
     */
    public int post(String url, Map<String, String> headers, byte[] body) throws IOException {
        HttpPost post = new HttpPost(check(url));
        headers.forEach(post::setHeader);
        post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        ScheduledFuture<?> timer = deadlines.schedule(post::cancel, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try (ClassicHttpResponse response = client.get().executeOpen(null, post, null)) {
            return response.getCode(); // the body is not read: the connection is never reused
        } catch (IOException e) {
            // a refusal at the connect arrives as an IOException whose cause chain holds it
            RefusedHostException refused = UrlFetcher.findCause(e, RefusedHostException.class);
            if (refused != null) {
                throw IngestException.notAllowed(refused.getMessage());
            }
            throw e;
        } finally {
            timer.cancel(false);
        }
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
        client.ifBuilt(c -> {
            try {
                c.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
