package dev.falgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.catalog.Catalog;
import dev.falgate.emulator.AcceptedSubmit;
import dev.falgate.emulator.FalEmulator;
import dev.falgate.emulator.FalEmulatorConfig;
import dev.falgate.local.ApiKey;
import dev.falgate.local.LocalStack;
import dev.falgate.local.LocalStackConfig;
import dev.falgate.local.fal.EmbeddedFal;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Time to result, falgate against fal's own client on the same emulator: for an image editor and
 * a 3D model, runs alternate between falgate (POST /v1/jobs, then GET /v1/jobs/{id}?wait=25 until
 * the job has ended: the client holds the finished job with its outputs copied into our S3) and
 * {@code fal.subscribe} of the pinned {@code @fal-ai/client} ({@link FalSubscribeClient}: the
 * client holds the result). Both are timed from the start of the submit request. Prints each run,
 * both medians and their difference, and where falgate's time went after fal's webhook (from the
 * local runtime's invocation log). Exits 1 when a run fails or a difference exceeds max-diff.
 *
 * <p>Arguments ({@code name=value}): speed=4 image-runs=5 mesh-runs=3 max-diff=100 (ms)
 * image=fal-ai/post-processing/sharpen mesh=fal-ai/trellis js=bench/js.
 */
public final class LatencyBench {
    static final String KEY = "fg_bench_0123456789abcdef0123456789abcdef02";
    /** fal.subscribe's default status poll interval in the pinned client (DEFAULT_POLL_INTERVAL). */
    private static final long POLL_INTERVAL_MS = 500;
    private static final Set<String> ENDED = Set.of("succeeded", "failed", "canceled");

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new TreeMap<>();
        for (String arg : args) {
            a.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        double speed = Double.parseDouble(a.getOrDefault("speed", "4"));
        Path template = Path.of(a.getOrDefault("template", "template.yaml")).toAbsolutePath();
        Path js = Path.of(a.getOrDefault("js", "bench/js")).toAbsolutePath();
        PrintStream out = System.out;
        Path handlerLog = Path.of(a.getOrDefault("handler-log", "bench/target/latency-handlers.log")).toAbsolutePath();
        Files.createDirectories(handlerLog.getParent());
        System.setOut(new PrintStream(Files.newOutputStream(handlerLog), true));
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.falgate.local.access"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        HandlerTimes times = HandlerTimes.install();
        int exit;
        FalEmulator fal = FalEmulator.start(FalEmulatorConfig.builder().port(0).speed(speed).build());
        try (LocalStack stack = LocalStack.start(LocalStackConfig.builder(template)
                .apiKeys(List.of(new ApiKey("bench", KEY))).fal(EmbeddedFal.borrowing(fal, speed)).build());
                FalSubscribeClient falJs = FalSubscribeClient.start(js, fal.baseUrl(), fal.apiKey())) {
            LatencyBench bench = new LatencyBench(stack.apiUrl(), fal, speed, falJs, times, out);
            out.printf("latency: fal emulator speed %s (an image edit ~%.1f s, a 3D model ~%.1f s at fal), "
                    + "falgate's local stack with webhooks; fal.subscribe with its defaults (status polled every 500 ms)%n",
                    a.getOrDefault("speed", "4"), 10 / speed, 90 / speed);
            boolean ok = bench.compare(a.getOrDefault("image", "fal-ai/post-processing/sharpen"),
                    Integer.parseInt(a.getOrDefault("image-runs", "5")), Double.parseDouble(a.getOrDefault("max-diff", "100")));
            ok &= bench.compare(a.getOrDefault("mesh", "fal-ai/trellis"),
                    Integer.parseInt(a.getOrDefault("mesh-runs", "3")), Double.parseDouble(a.getOrDefault("max-diff", "100")));
            out.println(ok ? "latency: OK" : "latency: FAIL");
            exit = ok ? 0 : 1;
        } finally {
            fal.close();
        }
        out.flush();
        System.exit(exit);
    }

    private final URI api;
    private final FalEmulator fal;
    private final double speed;
    private final FalSubscribeClient falJs;
    private final HandlerTimes times;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private String falgateRef;
    private String falUrl;

    LatencyBench(URI api, FalEmulator fal, double speed, FalSubscribeClient falJs, HandlerTimes times, PrintStream out) {
        this.api = api;
        this.fal = fal;
        this.speed = speed;
        this.falJs = falJs;
        this.times = times;
        this.out = out;
    }

    /**
     * One falgate run: its time to result and when each step happened (ms from the start of the
     * submit): fal accepted the request (the emulator's record), fal's end (accepted + the model's
     * time at this speed), and from the invocation log the webhook's Callback and the FinishFunction.
     */
    record FalgateRun(double millis, long answeredAt, long acceptedAt, long falEndAt, long webhookAt, long callbackMs, long finishAt,
            long finishMs, int reads) {
    }

    /** One fal.subscribe run: its time to result, when the emulator accepted its submit and fal's end. */
    record SubscribeRun(double millis, long acceptedAt, long falEndAt) {
    }

    /** Alternating runs (the order flips each time), after one unrecorded warm-up of each; true when within maxDiff. */
    boolean compare(String model, int runs, double maxDiff) throws Exception {
        if (falgateRef == null) {
            byte[] png = LoadBench.png(256, 256);
            falgateRef = upload(png);
            falUrl = falJs.upload(png);
        }
        long baseMillis = falMillis(model, speed);
        fal.setSpeed(speed);
        falgate(model, baseMillis);
        subscribe(model, baseMillis);
        List<FalgateRun> ours = new ArrayList<>();
        List<SubscribeRun> theirs = new ArrayList<>();
        AwsCallCounter.reset();
        for (int i = 0; i < runs; i++) {
            // fal's time differs from run to run; spread it over one of fal.subscribe's 500 ms poll intervals
            // so that client's luck (a poll just after the end, or just before) is not the same in every run
            long runMillis = baseMillis + Math.round(POLL_INTERVAL_MS * (i + 0.5) / runs);
            fal.setSpeed(typicalMillis(model) / runMillis);
            if (i % 2 == 1) {
                theirs.add(subscribe(model, runMillis));
            }
            ours.add(falgate(model, runMillis));
            if (i % 2 == 0) {
                theirs.add(subscribe(model, runMillis));
            }
            FalgateRun r = ours.get(i);
            SubscribeRun f = theirs.get(i);
            out.printf("latency:   %s run %d: falgate %.0f ms (fal accepted at %d, ended ~%d, webhook at %d, Callback %d ms, "
                    + "FinishFunction at %d for %d ms, %d waiting read%s); fal.subscribe %.0f ms (accepted at %d, ended ~%d)%n",
                    model, i + 1, r.millis(), r.acceptedAt(), r.falEndAt(), r.webhookAt(), r.callbackMs(), r.finishAt(),
                    r.finishMs(), r.reads(), r.reads() == 1 ? "" : "s", f.millis(), f.acceptedAt(), f.falEndAt());
        }
        double ourMedian = median(ours.stream().map(FalgateRun::millis).toList());
        double theirMedian = median(theirs.stream().map(SubscribeRun::millis).toList());
        double diff = ourMedian - theirMedian;
        out.printf("latency: %s, %d alternating runs: time to result median falgate %.0f ms, fal.subscribe %.0f ms, "
                + "difference %+.0f ms (target <= %+.0f): %s%n", model, runs, ourMedian, theirMedian, diff, maxDiff,
                diff <= maxDiff ? "within" : "OVER");
        out.printf("latency:   where falgate's time went (medians, ms): submit until fal accepted %d (fal.subscribe %d); "
                + "fal's end to the webhook's Callback %d; Callback %d; to FinishFunction's start %d; FinishFunction (copy) %d; "
                + "its end to the client holding the job %d (fal.subscribe: fal's end to the result %d)%n",
                median(ours, FalgateRun::acceptedAt), median(theirs, SubscribeRun::acceptedAt),
                median(ours, r -> r.webhookAt() - r.falEndAt()), median(ours, FalgateRun::callbackMs),
                median(ours, r -> r.finishAt() - r.webhookAt() - r.callbackMs()), median(ours, FalgateRun::finishMs),
                median(ours, r -> Math.round(r.millis()) - r.finishAt() - r.finishMs()),
                median(theirs, r -> Math.round(r.millis()) - r.falEndAt()));
        out.printf("latency:   the submit answered 202 after %d ms; AWS calls per falgate run by function: %s%n",
                median(ours, FalgateRun::answeredAt), awsPerRun(runs));
        return diff <= maxDiff;
    }

    /** caller → "calls, ms in them" per run, from the SDK interceptor ({@link AwsCallCounter}). */
    private static Map<String, String> awsPerRun(int runs) {
        Map<String, long[]> byCaller = new TreeMap<>();
        AwsCallCounter.snapshot().forEach((k, n) -> byCaller.computeIfAbsent(k.substring(0, k.indexOf('|')), c -> new long[2])[0] += n);
        AwsCallCounter.nanos().forEach((k, ns) -> byCaller.computeIfAbsent(k.substring(0, k.indexOf('|')), c -> new long[2])[1] += ns);
        Map<String, String> out = new TreeMap<>();
        byCaller.forEach((caller, v) -> out.put(caller, String.format("%.1f calls %.0f ms", (double) v[0] / runs, v[1] / 1e6 / runs)));
        return out;
    }

    /** fal.subscribe, with when the emulator accepted its request. */
    private SubscribeRun subscribe(String model, long falMillis) throws Exception {
        long startedAt = System.currentTimeMillis();
        double millis = falJs.subscribe(model, input(falUrl));
        long acceptedAt = accepted(startedAt, false);
        return new SubscribeRun(millis, acceptedAt, acceptedAt + falMillis);
    }

    /** When the emulator accepted the run's submit (ms after {@code startedAt}): with a webhook, falgate's, without, fal.subscribe's. */
    private long accepted(long startedAt, boolean withWebhook) {
        List<AcceptedSubmit> submits = fal.acceptedSubmits();
        AcceptedSubmit last = submits.get(submits.size() - 1);
        if ((last.webhookUrl() != null) != withWebhook || last.acceptedAt().toEpochMilli() < startedAt) {
            throw new IllegalStateException("the emulator's last accepted submit is not this run's: " + last);
        }
        return last.acceptedAt().toEpochMilli() - startedAt;
    }

    /** fal's queue wait plus run time for the model at this speed (the emulator's Timing: the category's typical time / speed). */
    private static long falMillis(String model, double speed) {
        return Math.round(typicalMillis(model) / speed);
    }

    private static double typicalMillis(String model) {
        return Catalog.standard().find(model).orElseThrow().category().typicalSeconds() * 1000.0;
    }

    private static ObjectNode input(String imageUrl) {
        return LoadBench.JSON.createObjectNode().put("image_url", imageUrl);
    }

    /** Submit, then waiting reads until the job has ended; the run's steps from the local runtime's log. */
    private FalgateRun falgate(String model, long falMillis) throws Exception {
        long startedAt = System.currentTimeMillis();
        long start = System.nanoTime();
        ObjectNode body = LoadBench.JSON.createObjectNode().put("model", model);
        body.set("input", input(falgateRef));
        JsonNode job = send(HttpRequest.newBuilder(api.resolve("/v1/jobs")).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(LoadBench.JSON.writeValueAsString(body))), 202);
        String id = job.get("id").asText();
        long answeredAt = (System.nanoTime() - start) / 1_000_000;
        int reads = 0;
        while (!ENDED.contains(job.get("status").asText())) {
            job = send(HttpRequest.newBuilder(api.resolve("/v1/jobs/" + id + "?wait=25")).GET(), 200);
            reads++;
        }
        double millis = (System.nanoTime() - start) / 1e6;
        if (!job.get("status").asText().equals("succeeded") || job.path("files").isEmpty()) {
            throw new IllegalStateException(model + ": job " + id + " ended without its outputs: " + job);
        }
        HandlerTimes.Invocation callback = first(startedAt, "CallbackFunction");
        // an image job is finished inside its callback (ImmediateFinish): no FinishFunction hop, nothing after it
        HandlerTimes.Invocation finish = times.startedSince(startedAt).stream()
                .filter(i -> i.function().equals("FinishFunction")).findFirst()
                .orElse(new HandlerTimes.Invocation("FinishFunction", callback.endMillis(), 0));
        long acceptedAt = accepted(startedAt, true);
        return new FalgateRun(millis, answeredAt, acceptedAt, acceptedAt + falMillis, callback.startMillis() - startedAt,
                callback.millis(), finish.startMillis() - startedAt, finish.millis(), reads);
    }

    private HandlerTimes.Invocation first(long since, String function) {
        return times.startedSince(since).stream().filter(i -> i.function().equals(function)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + function + " invocation logged for the run"));
    }

    private String upload(byte[] png) throws Exception {
        ObjectNode body = LoadBench.JSON.createObjectNode().put("content_type", "image/png").put("size", png.length)
                .put("file_name", "in.png");
        JsonNode upload = send(HttpRequest.newBuilder(api.resolve("/v1/uploads")).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(LoadBench.JSON.writeValueAsString(body))), 201);
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(upload.get("url").asText()))
                .header("content-type", "image/png").PUT(HttpRequest.BodyPublishers.ofByteArray(png)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() != 200) {
            throw new IllegalStateException("upload PUT answered " + put.statusCode() + ": " + put.body());
        }
        return upload.get("ref").asText();
    }

    private JsonNode send(HttpRequest.Builder request, int expected) throws Exception {
        HttpResponse<String> r = http.send(request.header("authorization", "Bearer " + KEY)
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException(r.request().method() + " " + r.uri() + " answered " + r.statusCode() + ": " + r.body());
        }
        return LoadBench.JSON.readTree(r.body());
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static <R> long median(List<R> runs, ToLongFunction<R> step) {
        return Math.round(median(runs.stream().map(r -> (double) step.applyAsLong(r)).toList()));
    }
}
