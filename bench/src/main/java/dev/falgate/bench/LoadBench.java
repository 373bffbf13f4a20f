package dev.falgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.emulator.FalEmulator;
import dev.falgate.emulator.FalEmulatorConfig;
import dev.falgate.emulator.ModelCounts;
import dev.falgate.local.ApiKey;
import dev.falgate.local.LocalStack;
import dev.falgate.local.LocalStackConfig;
import dev.falgate.local.fal.EmbeddedFal;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;

/**
 * Load run: {@code jobs} image-editing jobs submitted concurrently through a LocalStack (in
 * memory, fal emulator at {@code speed}, webhooks on), every one awaited through the API with a
 * deadline; prints fal calls per job (emulator stats), AWS calls per job (every SDK call of the
 * JVM, by the function that made it: {@link AwsCallCounter}), handler time per job
 * ({@link HandlerTimes}) and end-to-end latency. Exits 1 when a job did not succeed in time or a
 * bound is exceeded.
 *
 * <p>Arguments ({@code name=value}): jobs=1000 threads=32 warmup=300 (jobs, not counted) speed=200 deadline=240 (s)
 * max-fal=4 max-aws=7 (per job, means over all jobs); concurrency (invocations at once; default: the
 * stack's own).
 */
public final class LoadBench {
    static final String KEY = "fg_bench_0123456789abcdef0123456789abcdef01";
    static final List<String> MODELS = List.of("fal-ai/post-processing/sharpen", "fal-ai/image-editing/color-correction",
            "fal-ai/image-editing/object-removal", "fal-ai/image-editing/face-enhancement",
            "fal-ai/image-editing/background-change");
    static final ObjectMapper JSON = new ObjectMapper();
    static final int SEQUENTIAL = 10;
    /** Jobs of the concurrent warm-up batch (0: none, the one job only, as before session 6). */
    static final int DEFAULT_WARMUP = 300;
    static final int CORES = Runtime.getRuntime().availableProcessors();
    /**
     * AWS calls of one image job on the webhook path, from the code (issue 13; bench/README.md):
     * submit 4 = PutObject input (the data: URI is stored as an upload), TransactWriteItems (the job
     * and the upload's record), PutItem claiming the send, PutItem for fal's request id (both on the
     * version the sender holds; the API key is cached 60 s, the input presigned from the job; no
     * poll message: the job stays in the sweep index, due when its webhook is overdue);
     * callback 2 = PutObject the output image (one part; small enough to be its own thumbnail), then
     * one conditional UpdateItem recording the result and the end (no read);
     * poller 0. 4 + 2 = 6, bound 7 (issue 13); the sweeper's Query per tick and API key lookups are
     * printed apart.
     */
    static final double DEFAULT_MAX_AWS = 7;
    /** fal calls: the submit, at most two status polls (first poll, one reschedule), one result read when the poller finishes. */
    static final double DEFAULT_MAX_FAL = 4;

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new TreeMap<>();
        for (String arg : args) {
            a.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        int jobs = Integer.parseInt(a.getOrDefault("jobs", "1000"));
        int threads = Integer.parseInt(a.getOrDefault("threads", "32"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", Integer.toString(DEFAULT_WARMUP)));
        double speed = Double.parseDouble(a.getOrDefault("speed", "200"));
        Duration deadline = Duration.ofSeconds(Long.parseLong(a.getOrDefault("deadline", "240")));
        double maxFal = Double.parseDouble(a.getOrDefault("max-fal", Double.toString(DEFAULT_MAX_FAL)));
        double maxAws = Double.parseDouble(a.getOrDefault("max-aws", Double.toString(DEFAULT_MAX_AWS)));
        Path template = Path.of(a.getOrDefault("template", "template.yaml")).toAbsolutePath();
        LocalStackConfig.Builder config = LocalStackConfig.builder(template);
        if (a.containsKey("concurrency")) {
            config.concurrency(Integer.parseInt(a.get("concurrency")));
        }

        PrintStream out = System.out;
        // handlers log a line or more per invocation to stdout: keep the report readable
        Path handlerLog = Path.of(a.getOrDefault("handler-log", "bench/target/load-handlers.log")).toAbsolutePath();
        java.nio.file.Files.createDirectories(handlerLog.getParent());
        System.setOut(new PrintStream(new java.io.BufferedOutputStream(
                java.nio.file.Files.newOutputStream(handlerLog), 1 << 16), false));
        int exit;
        HandlerTimes times = HandlerTimes.install();
        // one INFO line per API request otherwise
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.falgate.local.access"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        FalEmulator fal = FalEmulator.start(FalEmulatorConfig.builder().port(0).speed(speed).build());
        try (LocalStack stack = LocalStack.start(config
                .apiKeys(List.of(new ApiKey("bench", KEY)))
                .fal(EmbeddedFal.borrowing(fal, speed))
                .build())) {
            exit = new LoadBench(stack, fal, out, jobs, threads, warmup, speed, deadline, maxFal, maxAws, handlerLog, times).run();
        } finally {
            fal.close();
        }
        out.flush();
        System.exit(exit);
    }

    private final LocalStack stack;
    private final FalEmulator fal;
    private final PrintStream out;
    private final int jobs;
    private final int threads;
    private final int warmup;
    private final double speed;
    private final Duration deadline;
    private final double maxFal;
    private final double maxAws;
    private final Path handlerLog;
    private final HandlerTimes times;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicLong apiReads = new AtomicLong();

    LoadBench(LocalStack stack, FalEmulator fal, PrintStream out, int jobs, int threads, int warmup, double speed, Duration deadline,
            double maxFal, double maxAws, Path handlerLog, HandlerTimes times) {
        this.stack = stack;
        this.fal = fal;
        this.out = out;
        this.jobs = jobs;
        this.threads = threads;
        this.warmup = warmup;
        this.speed = speed;
        this.deadline = deadline;
        this.maxFal = maxFal;
        this.maxAws = maxAws;
        this.handlerLog = handlerLog;
        this.times = times;
    }

    /** The jobs one submit phase got accepted, with its wall time, the JVM's CPU and JIT time during it. */
    record Batch(List<String> ids, double seconds, double cpuSeconds, double jitSeconds) {
        double rate() {
            return ids.size() / seconds;
        }
    }

    /** {@code n} submits from {@code threads} client threads; returns once every one was answered. */
    private Batch submitConcurrently(int n, String dataUri) throws InterruptedException {
        long cpuAtStart = processCpuNanos();
        long jitAtStart = jitMillis();
        Instant start = Instant.now();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> new Thread(r, "bench-client"));
        List<Future<String>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String model = MODELS.get(i % MODELS.size());
            futures.add(pool.submit(() -> submit(model, dataUri)));
        }
        List<String> ids = new ArrayList<>();
        int refused = 0;
        for (Future<String> f : futures) {
            try {
                ids.add(f.get());
            } catch (java.util.concurrent.ExecutionException e) {
                if (++refused <= 3) {
                    out.println("load-run: submit failed: " + e.getCause());
                }
            }
        }
        double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        pool.shutdownNow();
        return new Batch(ids, seconds, (processCpuNanos() - cpuAtStart) / 1e9, (jitMillis() - jitAtStart) / 1000.0);
    }

    private static long jitMillis() {
        return java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    int run() throws Exception {
        out.printf("load-run: %d jobs, %d client threads, fal emulator speed %.0f, webhooks on, %d invocations at once, "
                + "models %s%n", jobs, threads, speed, stack.config().concurrency(), MODELS);
        String dataUri = "data:image/png;base64," + Base64.getEncoder().encodeToString(png(48, 32));
        // warm-up: one job end to end (class loading), then a concurrent batch: C1 compiles a method
        // after about 200 calls, so a job's request path is still interpreted for its first hundreds
        String warm = submit(MODELS.get(0), dataUri);
        awaitAll(List.of(warm), Instant.now().plusSeconds(60), 100);
        drainPollQueue(Duration.ofSeconds(30));
        if (warmup > 0) {
            Batch w = submitConcurrently(warmup, dataUri);
            awaitAll(w.ids(), Instant.now().plus(deadline), 1000);
            drainPollQueue(Duration.ofSeconds(30));
            out.printf("load-run: warm-up batch (not counted): %d jobs at %.0f submits/s, JVM CPU %.1f ms a job, JIT "
                    + "compiler threads busy %.1f s%n", w.ids().size(), w.rate(), w.cpuSeconds() * 1000 / warmup,
                    w.jitSeconds());
        }
        // uncontended handler times: a few jobs one at a time, before the load
        times.clear();
        for (int i = 0; i < SEQUENTIAL; i++) {
            awaitAll(List.of(submit(MODELS.get(i % MODELS.size()), dataUri)), Instant.now().plusSeconds(60), 50);
        }
        drainPollQueue(Duration.ofSeconds(30));
        out.printf("load-run: handler wall time, %d jobs one at a time (no load from the bench), p50 ms: %s%n", SEQUENTIAL,
                medians(times.snapshot()));
        ModelCounts falBefore = fal.stats().totals();
        AwsCallCounter.reset();
        times.clear();
        apiReads.set(0);

        Instant start = Instant.now();
        Instant end = start.plus(deadline);
        Batch batch = submitConcurrently(jobs, dataUri);
        List<String> ids = batch.ids();
        int refused = jobs - ids.size();
        out.printf("load-run: %d submitted (202) in %.1f s (%.0f submits/s), %d refused%n", ids.size(), batch.seconds(),
                batch.rate(), refused);
        // CPU per job moves much less than the rate with what else runs on the host (steal, neighbours)
        out.printf("load-run: JVM CPU while submitting %.1f s (%.1f ms a job; %.0f%% of %d cores), JIT compiler "
                + "threads busy %.1f s%n", batch.cpuSeconds(), batch.cpuSeconds() * 1000 / jobs,
                100 * batch.cpuSeconds() / batch.seconds() / CORES, CORES, batch.jitSeconds());
        Map<String, JsonNode> done = awaitAll(ids, end, 1000);
        double allSeconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        boolean drained = drainPollQueue(Duration.ofSeconds(30));

        Map<String, Integer> statuses = new TreeMap<>();
        List<Long> latencies = new ArrayList<>();
        for (String id : ids) {
            JsonNode j = done.get(id);
            String s = j == null ? "not finished" : j.path("status").asText();
            statuses.merge(s, 1, Integer::sum);
            if (j != null && j.hasNonNull("completed_at")) {
                latencies.add(Duration.between(Instant.parse(j.get("created_at").asText()),
                        Instant.parse(j.get("completed_at").asText())).toMillis());
            }
        }
        latencies.sort(null);
        int succeeded = statuses.getOrDefault("succeeded", 0);
        out.printf("load-run: %s after %.1f s (%.1f jobs/s end to end); poll queue %s%n", statuses, allSeconds,
                succeeded / allSeconds, drained ? "drained" : "NOT drained after 30 s");
        out.printf("load-run: end-to-end latency created_at -> completed_at (ms): p50 %d, p90 %d, p99 %d, max %d%n",
                pct(latencies, 50), pct(latencies, 90), pct(latencies, 99), pct(latencies, 100));

        int n = Math.max(1, jobs);
        // fal
        ModelCounts f = minus(fal.stats().totals(), falBefore);
        long falCalls = f.submits() + f.statusPolls() + f.resultReads() + f.cancels();
        double falPerJob = (double) falCalls / n;
        out.printf("load-run: fal calls %d = submits %d + status polls %d + result reads %d + cancels %d; "
                + "webhooks sent %d (acknowledged %d)%n", falCalls, f.submits(), f.statusPolls(), f.resultReads(),
                f.cancels(), f.webhooksSent(), f.webhooksAcknowledged());
        out.printf("load-run: fal calls per job %.3f (bound %.1f)%n", falPerJob, maxFal);

        // AWS
        Map<String, Long> aws = AwsCallCounter.snapshot();
        Map<String, Long> byCaller = new TreeMap<>();
        aws.forEach((k, v) -> byCaller.merge(k.substring(0, k.indexOf('|')), v, Long::sum));
        long presigns = byCaller.entrySet().stream().filter(e -> e.getKey().startsWith(AwsCallCounter.PRESIGN))
                .mapToLong(Map.Entry::getValue).sum();
        out.println("load-run: AWS calls by caller | service | operation: total, per job");
        aws.forEach((k, v) -> out.printf("load-run:   %-52s %7d  %6.3f%n", k, v, (double) v / n));
        long handlerCalls = byCaller.getOrDefault("submit", 0L) + byCaller.getOrDefault("callback", 0L)
                + byCaller.getOrDefault("poller", 0L);
        double awsPerJob = (double) handlerCalls / n;
        out.printf("load-run: AWS calls per job by the job's functions (submit %.2f + callback %.2f + poller %.2f): %.3f (bound %.1f)%n",
                perJob(byCaller, "submit", n), perJob(byCaller, "callback", n), perJob(byCaller, "poller", n),
                awsPerJob, maxAws);
        out.printf("load-run: not counted in that: ReadFunction %d calls for the bench's %d API reads (%.2f per read); "
                + "the local SQS event source %d (ReceiveMessage/DeleteMessage, Lambda's own in AWS); "
                + "the sweeper's Query, one per schedule tick whatever the jobs, %d (%.3f a job in this run); "
                + "API key lookups, one a key per minute per warm function, %d (%.3f a job); other %d; "
                + "presigned URLs %d (no request)%n",
                byCaller.getOrDefault("read", 0L), apiReads.get(), (double) byCaller.getOrDefault("read", 0L) / Math.max(1, apiReads.get()),
                byCaller.getOrDefault("event-source", 0L), byCaller.getOrDefault("sweeper", 0L),
                (double) byCaller.getOrDefault("sweeper", 0L) / n, byCaller.getOrDefault("keycache", 0L),
                (double) byCaller.getOrDefault("keycache", 0L) / n, byCaller.getOrDefault("other", 0L), presigns);

        // handler time
        Map<String, List<Long>> t = times.snapshot();
        long jobHandlerMs = 0;
        out.println("load-run: handler wall time per invocation (ms, from the local runtime's log; includes waiting for a worker):");
        for (var e : t.entrySet()) {
            long sum = e.getValue().stream().mapToLong(Long::longValue).sum();
            if (!e.getKey().startsWith("Read")) {
                jobHandlerMs += sum;
            }
            out.printf("load-run:   %-18s %6d invocations, p50 %d, p90 %d, p99 %d, max %d; total %.1f s, %.1f ms per job%n",
                    e.getKey(), e.getValue().size(), pct(e.getValue(), 50), pct(e.getValue(), 90), pct(e.getValue(), 99),
                    pct(e.getValue(), 100), sum / 1000.0, (double) sum / n);
        }
        out.printf("load-run: handler time per job (Submit + Callback + Poller): %.1f ms%n", (double) jobHandlerMs / n);
        out.println("load-run: handlers' own output: " + handlerLog);

        List<String> failures = new ArrayList<>();
        if (succeeded != jobs) {
            failures.add((jobs - succeeded) + " of " + jobs + " jobs did not succeed within " + deadline.toSeconds() + " s");
        }
        if (falPerJob > maxFal) {
            failures.add(String.format("fal calls per job %.3f over the bound %.1f", falPerJob, maxFal));
        }
        if (awsPerJob > maxAws) {
            failures.add(String.format("AWS calls per job %.3f over the bound %.1f", awsPerJob, maxAws));
        }
        if (failures.isEmpty()) {
            out.println("load-run: OK");
            return 0;
        }
        failures.forEach(m -> out.println("load-run: FAIL: " + m));
        return 1;
    }

    private static Map<String, Long> medians(Map<String, List<Long>> times) {
        Map<String, Long> out = new TreeMap<>();
        times.forEach((f, l) -> out.put(f, pct(l, 50)));
        return out;
    }

    private static double perJob(Map<String, Long> byCaller, String caller, int n) {
        return (double) byCaller.getOrDefault(caller, 0L) / n;
    }

    private String submit(String model, String dataUri) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("model", model);
        body.putObject("input").put("image_url", dataUri);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(stack.apiUrl().resolve("/v1/jobs"))
                .header("authorization", "Bearer " + KEY).header("content-type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IllegalStateException("POST /v1/jobs answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body()).get("id").asText();
    }

    /**
     * Until every job is terminal or the deadline: a sweep (at most one per {@code sweepMillis}) pages through
     * {@code GET /v1/jobs?status=succeeded|failed|canceled&limit=100}, far fewer requests than a GET
     * per job, so the bench's reads take little from the handlers it measures. The list is newest
     * first and job ids sort by creation, so a sweep stops paging a status once a page reaches jobs
     * older than the oldest job still awaited (it used to re-read every finished job every second).
     */
    private Map<String, JsonNode> awaitAll(List<String> ids, Instant end, long sweepMillis) throws Exception {
        Map<String, JsonNode> done = new ConcurrentHashMap<>();
        java.util.NavigableSet<String> pending = new java.util.TreeSet<>(ids);
        while (!pending.isEmpty() && Instant.now().isBefore(end)) {
            long sweep = System.nanoTime();
            String oldestPending = pending.first();
            for (String status : List.of("succeeded", "failed", "canceled")) {
                String cursor = null;
                do {
                    JsonNode page = list(status, cursor);
                    String oldestOnPage = null;
                    for (JsonNode j : page.path("jobs")) {
                        String id = j.path("id").asText();
                        oldestOnPage = id;
                        if (pending.remove(id)) {
                            done.put(id, j);
                        }
                    }
                    boolean older = oldestOnPage != null && oldestOnPage.compareTo(oldestPending) < 0;
                    cursor = !older && page.path("next_cursor").isTextual() ? page.get("next_cursor").asText() : null;
                } while (cursor != null);
            }
            long left = sweepMillis - (System.nanoTime() - sweep) / 1_000_000;
            if (!pending.isEmpty() && left > 0) {
                Thread.sleep(left);
            }
        }
        return done;
    }

    private JsonNode list(String status, String cursor) throws Exception {
        apiReads.incrementAndGet();
        String q = "/v1/jobs?limit=100&status=" + status
                + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(stack.apiUrl().resolve(q))
                .header("authorization", "Bearer " + KEY).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + q + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Waits until the poll and finish queues hold no message, visible, in flight or delayed. */
    private boolean drainPollQueue(Duration within) throws InterruptedException {
        Instant end = Instant.now().plus(within);
        while (Instant.now().isBefore(end)) {
            boolean empty = java.util.stream.Stream.of("PollQueue", "FinishQueue").map(stack::queueUrl)
                    .allMatch(url -> stack.sqs().getQueueAttributes(r -> r.queueUrl(url).attributeNamesWithStrings(
                            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                            "ApproximateNumberOfMessagesDelayed")).attributesAsStrings().values().stream()
                            .allMatch("0"::equals));
            if (empty) {
                Thread.sleep(300); // a message being handled may still send its successor
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    private static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    private static ModelCounts minus(ModelCounts a, ModelCounts b) {
        return new ModelCounts(a.submits() - b.submits(), a.statusPolls() - b.statusPolls(),
                a.resultReads() - b.resultReads(), a.cancels() - b.cancels(), a.webhooksSent() - b.webhooksSent(),
                a.webhooksAcknowledged() - b.webhooksAcknowledged(), a.webhooksDropped() - b.webhooksDropped());
    }

    static byte[] png(int w, int h) throws java.io.IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(7);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        return bytes.toByteArray();
    }
}
