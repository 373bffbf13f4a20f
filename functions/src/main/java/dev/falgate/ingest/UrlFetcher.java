package dev.falgate.ingest;

import dev.falgate.ingest.IngestException.Code;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.client5.http.io.DetachedSocketFactory;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Fetches an http(s) URL input into a temporary file, guarded against SSRF.
 *
 * <ul>
 * <li>The URL must pass {@link CheckedUrl}: http or https, no user info, a strictly spelled host.
 * <li>Every address the host stands for must be public ({@link SafeDnsResolver}), and the
 * connection goes to exactly the address checked; the socket checks it once more
 * ({@link CheckedSocket}).
 * <li>Redirects are not followed by the client: each Location is parsed and checked as a new URL,
 * at most {@link FetchLimits#maxRedirects()} times.
 * <li>Connect, read and total time are bounded, and the body is capped while it streams: a
 * Content-Length over the cap is refused before reading, a body without one is cut off there.
 * The total time and the bytes can be shared by all URL inputs of one request
 * ({@link #budget}), so fetching them concurrently holds one deadline and one size total.
 * <li>No cookies, no authentication, no proxy (not even from the environment), no retries, no
 * decompression (the cap counts the bytes that arrive), no connection reuse.
 * </ul>
 * Thread-safe; close it to release the connection pool and the deadline timer.
 */
public final class UrlFetcher implements AutoCloseable {
    private static final String USER_AGENT = "falgate-url-fetcher";
    private static final int BUFFER_BYTES = 64 * 1024;
    /** Header limits, so a hostile server cannot stream an endless header into memory. */
    private static final int MAX_HEADER_LINE = 8 * 1024;
    private static final int MAX_HEADER_COUNT = 100;
    private static final long MIB = 1024 * 1024;

    private final FetchLimits limits;
    private final Path tempDir;
    /** Built on the first fetch: most requests name no URL input. */
    private final dev.falgate.config.Lazy<CloseableHttpClient> client;
    private final ScheduledThreadPoolExecutor deadlines;

    /** Production: default limits, the system resolver, no exceptions for local hosts. */
    public UrlFetcher() {
        this(FetchLimits.DEFAULTS, new SafeDnsResolver());
    }

    public UrlFetcher(FetchLimits limits, SafeDnsResolver resolver) {
        this(limits, resolver, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** Temporary files in {@code tempDir}, so a test can count what is left there. */
    public UrlFetcher(FetchLimits limits, SafeDnsResolver resolver, Path tempDir) {
        this(limits, resolver, CheckedSocket.factory(resolver::mayConnectTo), tempDir);
    }

    /** Tests: sockets that record and stay on loopback, and a temp directory they can inspect. */
    UrlFetcher(FetchLimits limits, SafeDnsResolver resolver, DetachedSocketFactory sockets, Path tempDir) {
        this.limits = limits;
        this.tempDir = tempDir;
        this.client = dev.falgate.config.Lazy.of(() -> httpClient(limits, resolver, sockets));
        this.deadlines = deadlineTimer();
    }

    /**
     * The URL's body in a temporary file (the caller closes the {@link Fetched} to delete it).
     *
     * @throws IngestException with the reason, when the URL is refused or the fetch fails
     */
    public Fetched fetch(String url) {
        return fetch(url, budget(Long.MAX_VALUE));
    }

    /**
     * A new budget for the URL inputs of one request: {@link FetchLimits#totalTimeout()} from
     * now for all of them together, and at most {@code maxBytes} between them.
     */
    public FetchBudget budget(long maxBytes) {
        return new FetchBudget(limits.totalTimeout(), maxBytes);
    }

    /**
     * One URL of a request, drawing on the request's shared budget.
     *
     * @throws IngestException with the reason, when the URL is refused or the fetch fails
     * @throws FetchBudget.Exceeded when the request's files are over the budget's bytes
     */
    public Fetched fetch(String url, FetchBudget budget) {
        long deadline = budget.deadlineNanos();
        CheckedUrl target = CheckedUrl.parse(url);
        for (int redirects = 0; ; redirects++) {
            Answer answer = redirects == 0 ? exchange(target, budget) : exchangeAfterRedirect(target, budget);
            if (answer.file() != null) {
                return answer.file();
            }
            if (redirects == limits.maxRedirects()) {
                throw new IngestException(Code.TOO_MANY_REDIRECTS, "the URL redirects more than " + limits.maxRedirects() + " times");
            }
            target = target.redirect(answer.location());
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

    /** One request: the file, or where the server redirects to. */
    private record Answer(Fetched file, String location) {
    }

    private Answer exchangeAfterRedirect(CheckedUrl target, FetchBudget budget) {
        try {
            return exchange(target, budget);
        } catch (IngestException e) {
            throw e.code() == Code.URL_NOT_ALLOWED ? e.afterRedirect() : e;
        }
    }

    private Answer exchange(CheckedUrl target, FetchBudget budget) {
        budget.checkBytesLeft();
        long remaining = budget.deadlineNanos() - System.nanoTime();
        if (remaining <= 0) {
            throw outOfTime(budget, null);
        }
        HttpGet get = new HttpGet(target.uri());
        get.setHeader("Accept", "*/*");
        get.setHeader("Accept-Encoding", "identity");
        // Cancelling closes the connection, which ends a blocked read: the total timeout holds
        // even against a server that sends one byte just inside every read timeout.
        ScheduledFuture<?> timer = deadlines.schedule(get::cancel, remaining, TimeUnit.NANOSECONDS);
        try (ClassicHttpResponse response = client.get().executeOpen(null, get, null)) {
            try {
                return answer(response, budget);
            } finally {
                // Before close(): closing an unread body would first read it to its end.
                get.cancel();
            }
        } catch (IOException e) {
            throw failure(e, budget);
        } finally {
            timer.cancel(false);
        }
    }

    private Answer answer(ClassicHttpResponse response, FetchBudget budget) throws IOException {
        int status = response.getCode();
        if (isRedirect(status)) {
            Header location = response.getFirstHeader("Location");
            if (location == null) {
                throw fetchFailed("the server answered " + status + " without a Location to redirect to");
            }
            return new Answer(null, location.getValue());
        }
        if (status != 200) {
            throw fetchFailed("the server answered " + status + "; only 200 is accepted");
        }
        return new Answer(save(response.getEntity(), budget), null);
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private Fetched save(HttpEntity entity, FetchBudget budget) throws IOException {
        if (entity == null) {
            throw fetchFailed("the server sent no body");
        }
        if (entity.getContentEncoding() != null && !entity.getContentEncoding().equalsIgnoreCase("identity")) {
            throw fetchFailed("the server sent the file compressed (Content-Encoding), which is not supported");
        }
        if (entity.getContentLength() > limits.maxBytes()) {
            throw tooLarge();
        }
        Path file = createTempFile();
        try {
            long size = copyCapped(entity.getContent(), file, budget);
            return new Fetched(file, size, mediaType(entity.getContentType()));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /**
     * Copies at most the cap, failing as soon as the body passes it or the request's files pass
     * the budget's bytes. The input stream is left open on purpose: it closes with the
     * response, after the request is cancelled.
     */
    private long copyCapped(InputStream in, Path file, FetchBudget budget) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[BUFFER_BYTES];
            long total = 0;
            for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
                total += n;
                if (total > limits.maxBytes()) {
                    throw tooLarge();
                }
                budget.take(n);
                writeLocal(out, buffer, n);
            }
            return total;
        }
    }

    /** A failed write is our disk, not the caller's URL: unchecked, so it is not reported as one. */
    private static void writeLocal(OutputStream out, byte[] buffer, int length) {
        try {
            out.write(buffer, 0, length);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the fetched file", e);
        }
    }

    private Path createTempFile() {
        try {
            return Files.createTempFile(tempDir, "falgate-ingest-", ".part");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a temporary file", e);
        }
    }

    private static String mediaType(String contentType) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.isEmpty() ? "application/octet-stream" : type;
    }

    /** An I/O failure as the caller should see it; a refusal anywhere in the chain wins. */
    private IngestException failure(IOException e, FetchBudget budget) {
        RefusedHostException refused = findCause(e, RefusedHostException.class);
        if (refused != null) {
            return new IngestException(Code.URL_NOT_ALLOWED, refused.getMessage(), refused);
        }
        if (System.nanoTime() - budget.deadlineNanos() >= 0) {
            return outOfTime(budget, e);
        }
        if (findCause(e, InterruptedIOException.class) != null) {
            return timedOut(e);
        }
        if (e instanceof ClientProtocolException || e instanceof MessageConstraintException
                || e instanceof MalformedChunkCodingException) {
            return new IngestException(Code.URL_FETCH_FAILED, "the server's answer is not valid HTTP or breaks its limits", e);
        }
        return new IngestException(Code.URL_UNREACHABLE, unreachableReason(e), e);
    }

    private static String unreachableReason(IOException e) {
        if (e instanceof UnknownHostException) {
            return "the host name does not resolve";
        }
        if (findCause(e, SSLException.class) != null) {
            return "no trusted TLS connection could be made to the host";
        }
        return "the connection to the host failed or broke off";
    }

    /** A connect or a silence over its limit: the host, not the request's budget. */
    private IngestException timedOut(IOException cause) {
        return new IngestException(Code.URL_UNREACHABLE, "the host did not answer in time (connect "
                + describe(limits.connectTimeout()) + ", silence " + describe(limits.readTimeout()) + ")", cause);
    }

    private static IngestException outOfTime(FetchBudget budget, IOException cause) {
        return new IngestException(Code.FETCH_TIMEOUT, "the URL was not fetched in time: all URL inputs of a job share "
                + describe(budget.length()) + "; upload slow or large files through POST /v1/uploads and pass the upload:// ref", cause);
    }

    private IngestException tooLarge() {
        return new IngestException(Code.FILE_TOO_LARGE, "the file is larger than " + describe(limits.maxBytes())
                + ", the limit for URL inputs; upload it through POST /v1/uploads and pass its upload:// ref instead");
    }

    private static IngestException fetchFailed(String message) {
        return new IngestException(Code.URL_FETCH_FAILED, message);
    }

    private static String describe(java.time.Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String describe(long bytes) {
        return bytes % MIB == 0 ? bytes / MIB + " MiB" : bytes + " bytes";
    }

    /** The first exception of {@code type} in the cause chain of {@code e}, or null. */
    static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    static ScheduledThreadPoolExecutor deadlineTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "falgate-fetch-deadline");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** Also the {@link GuardedPoster}'s client: the same checks on every connection, no redirects. */
    static CloseableHttpClient httpClient(FetchLimits limits, SafeDnsResolver resolver, DetachedSocketFactory sockets) {
        return HttpClients.custom()
                .setConnectionManager(connectionManager(limits, resolver, sockets))
                // Never a proxy: the planner only proxies what the request config names, and it names none.
                .setRoutePlanner(new DefaultRoutePlanner(DefaultSchemePortResolver.INSTANCE))
                .setConnectionReuseStrategy((request, response, context) -> false)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setRedirectsEnabled(false)
                        .setAuthenticationEnabled(false)
                        .setProtocolUpgradeEnabled(false)
                        .setConnectionRequestTimeout(timeout(limits.connectTimeout()))
                        .setResponseTimeout(timeout(limits.readTimeout()))
                        .build())
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableAutomaticRetries()
                .disableContentCompression()
                .disableConnectionState()
                .setUserAgent(USER_AGENT)
                .build();
    }

    /** Connections made only through the checking resolver and sockets, with every timeout set. */
    private static PoolingHttpClientConnectionManager connectionManager(FetchLimits limits, SafeDnsResolver resolver,
            DetachedSocketFactory sockets) {
        var tls = RegistryBuilder.<TlsSocketStrategy>create()
                .register(URIScheme.HTTPS.id, DefaultClientTlsStrategy.createDefault()).build();
        var operator = new DefaultHttpClientConnectionOperator(sockets, DefaultSchemePortResolver.INSTANCE, resolver, tls);
        var connectionFactory = ManagedHttpClientConnectionFactory.builder()
                .http1Config(Http1Config.custom().setMaxLineLength(MAX_HEADER_LINE).setMaxHeaderCount(MAX_HEADER_COUNT).build())
                .build();
        var manager = new PoolingHttpClientConnectionManager(operator, PoolConcurrencyPolicy.STRICT, PoolReusePolicy.LIFO,
                TimeValue.NEG_ONE_MILLISECOND, connectionFactory);
        manager.setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(timeout(limits.readTimeout())).build());
        manager.setDefaultConnectionConfig(ConnectionConfig.custom()
                .setConnectTimeout(timeout(limits.connectTimeout()))
                .setSocketTimeout(timeout(limits.readTimeout()))
                .build());
        manager.setDefaultTlsConfig(TlsConfig.custom().setHandshakeTimeout(timeout(limits.connectTimeout())).build());
        return manager;
    }

    private static Timeout timeout(java.time.Duration d) {
        return Timeout.ofMilliseconds(d.toMillis());
    }
}
