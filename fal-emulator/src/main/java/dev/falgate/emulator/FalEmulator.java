package dev.falgate.emulator;

import com.sun.net.httpserver.HttpServer;
import dev.falgate.catalog.Catalog;
import dev.falgate.emulator.faults.FailingRunner;
import dev.falgate.emulator.faults.FaultPlan;
import dev.falgate.emulator.faults.OutputFaults;
import dev.falgate.emulator.http.Router;
import dev.falgate.emulator.http.Wiring;
import dev.falgate.emulator.input.InputChecker;
import dev.falgate.emulator.input.InputFetcher;
import dev.falgate.emulator.output.FileStore;
import dev.falgate.emulator.output.ModelRunner;
import dev.falgate.emulator.output.OutputAssembler;
import dev.falgate.emulator.queue.RequestQueue;
import dev.falgate.emulator.storage.UploadStore;
import dev.falgate.emulator.webhook.WebhookSender;
import dev.falgate.emulator.webhook.WebhookSigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An offline fal.ai on 127.0.0.1: the queue API (direct, or through fal's client proxy protocol),
 * signed webhooks, the JWKS, storage uploads, real output files for every catalog model, and
 * injectable faults. Start with {@link #start(FalEmulatorConfig)}; close when done.
 */
public final class FalEmulator implements AutoCloseable {
    /** Request threads; SSE status streams hold one each while open. */
    private static final int HTTP_THREADS = 16;
    /** Input downloads and output generation (CPU-bound, the machine is small). */
    private static final int WORKER_THREADS = 2;
    private static final Duration EVICTION_INTERVAL = Duration.ofMinutes(1);

    private final HttpServer server;
    private final ExecutorService httpThreads;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    private final URI baseUrl;
    private final Accounts accounts;
    private final SubmitLedger ledger = new SubmitLedger();
    private final RuntimeSettings settings;
    private final StatsRecorder stats;
    private final FaultPlan faults;
    private final RequestQueue queue;
    private final WebhookSigner signer = WebhookSigner.generate();

    private FalEmulator(FalEmulatorConfig config) throws IOException {
        setJvmDefaults();
        this.accounts = new Accounts(new Account(config.apiKey(), config.userId()));
        this.settings = new RuntimeSettings(config.speed(), config.dropWebhooks(),
                config.concurrency(), config.expireResults());
        this.stats = new StatsRecorder();
        this.faults = new FaultPlan(config.faults(), stats);
        this.httpThreads = Executors.newFixedThreadPool(HTTP_THREADS, daemon("fal-emulator-http"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("fal-emulator-timer"));
        this.workers = Executors.newFixedThreadPool(WORKER_THREADS, daemon("fal-emulator-worker"));
        this.server = HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port()), 0);
        this.baseUrl = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        Wiring wiring = wire(config);
        this.queue = wiring.queue();
        server.createContext("/", new Router(wiring));
        server.setExecutor(httpThreads);
    }

    public static FalEmulator start(FalEmulatorConfig config) {
        try {
            FalEmulator emulator = new FalEmulator(config);
            emulator.server.start();
            return emulator;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fal emulator on port "
                    + config.port(), e);
        }
    }

    private Wiring wire(FalEmulatorConfig config) {
        Catalog catalog = config.catalog();
        FileStore files = new FileStore(baseUrl);
        // plain HTTP/1.1: no h2c upgrade headers towards S3 emulators or webhook receivers
        HttpClient webhookClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        HttpClient downloadClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        WebhookSender sender = new WebhookSender(webhookClient, signer, settings, faults, stats,
                scheduler, config.webhookRetryDelays(), config.webhookTimeout(),
                config.clock());
        ModelRunner runner = new ModelRunner(new InputChecker(new InputFetcher(downloadClient)),
                new OutputAssembler(files));
        RequestQueue queue = new RequestQueue(settings, faults, scheduler, workers,
                new FailingRunner(new OutputFaults(runner, faults, files), faults),
                sender::deliver, files::remove,
                config.clock());
        scheduler.scheduleWithFixedDelay(() -> queue.evictCompletedBefore(config.resultRetention()),
                EVICTION_INTERVAL.toMillis(), EVICTION_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return new Wiring(catalog, queue, stats, baseUrl, settings, faults, files,
                new UploadStore(baseUrl), signer, accounts, ledger, config.streamKeepAlive(),
                scheduler, config.clock());
    }

    /** http://127.0.0.1:port, the queue base ({@code FAL_QUEUE_BASE_URL}). */
    public URI baseUrl() {
        return baseUrl;
    }

    /** {@code {base}/.well-known/jwks.json} ({@code FAL_JWKS_URL}). */
    public URI jwksUrl() {
        return URI.create(baseUrl + "/.well-known/jwks.json");
    }

    /** The main account's key. */
    public String apiKey() {
        return accounts.main().key();
    }

    /** The main account's user id (what its webhooks carry in {@code X-Fal-Webhook-User-Id}). */
    public String userId() {
        return accounts.main().userId();
    }

    /**
     * A further fal account, as {@code POST /_emulator/accounts}: its key is accepted like the
     * main one, its requests run (and their webhooks are signed) under its own user id.
     */
    public Account createAccount() {
        return accounts.create();
    }

    /** Every submit the queue accepted so far, in order (as {@code GET /_emulator/requests}). */
    public List<AcceptedSubmit> acceptedSubmits() {
        return ledger.list();
    }

    public StatsSnapshot stats() {
        return stats.snapshot();
    }

    /**
     * The four {@code X-Fal-Webhook-*} headers fal would send with {@code body}, signed with the
     * emulator's current key: for tests that need a genuine signature to tamper with.
     */
    public Map<String, String> webhookHeaders(String requestId, String timestamp, byte[] body) {
        String userId = userId();
        return Map.of("x-fal-webhook-request-id", requestId, "x-fal-webhook-user-id", userId,
                "x-fal-webhook-timestamp", timestamp,
                "x-fal-webhook-signature", signer.sign(requestId, userId, timestamp, body));
    }

    /** While on, completed requests send no webhook (counted as dropped). */
    public void setDropWebhooks(boolean drop) {
        settings.setDropWebhooks(drop);
    }

    /** The most requests that ever ran at once (a concurrency limit bounds it). */
    public int mostRunningAtOnce() {
        return queue.mostRunningAtOnce();
    }

    /** Applies to queue and run phases that start after the call. */
    public void setSpeed(double speed) {
        settings.setSpeed(speed);
    }

    /** Requests IN_PROGRESS at once; {@link FalEmulatorConfig#UNLIMITED} for no limit. */
    public void setConcurrency(int concurrency) {
        settings.setConcurrency(concurrency);
        queue.concurrencyChanged();
    }

    /** Applies to requests that complete after the call. */
    public void setExpireResults(boolean expire) {
        settings.setExpireResults(expire);
    }

    /** The fault knobs, to read or change while running (as {@code /_emulator/faults}). */
    public FaultPlan faults() {
        return faults;
    }

    /** A newer webhook key signs from now on; the previous one stays in the JWKS. */
    public void rotateWebhookKeys() {
        signer.rotate();
    }

    @Override
    public void close() {
        server.stop(0);
        scheduler.shutdownNow();
        workers.shutdownNow();
        httpThreads.shutdownNow();
    }

    /**
     * Image work must never look for a display. And the JDK HttpServer writes headers and body
     * separately: without TCP_NODELAY every response waits ~40 ms for a delayed ACK. Both
     * are read once per JVM, so they only take effect if nothing set them before.
     */
    private static void setJvmDefaults() {
        setIfAbsent("java.awt.headless", "true");
        setIfAbsent("sun.net.httpserver.nodelay", "true");
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
