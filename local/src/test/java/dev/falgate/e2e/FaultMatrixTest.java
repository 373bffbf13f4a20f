package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.emulator.FalEmulator;
import dev.falgate.emulator.FalEmulatorConfig;
import dev.falgate.emulator.faults.Fault;
import dev.falgate.emulator.faults.FaultSettings;
import dev.falgate.emulator.faults.Knob;
import dev.falgate.emulator.faults.OutputFaults;
import dev.falgate.local.ApiKey;
import dev.falgate.local.LocalStack;
import dev.falgate.local.LocalStackConfig;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every fault knob of the emulator against the whole pipeline, {@value #JOBS} jobs per cell, on a
 * stack and an emulator of its own (in memory) so the knobs never reach another test. Per job:
 * the right terminal state, exactly one terminal event, as many S3 objects under its output
 * prefix as it lists files. Per cell: the knob really fired. At the end: no job pending and no
 * multipart upload left open.
 */
class FaultMatrixTest {
    static final int JOBS = 50;
    static final double SPEED = 40;
    /** The cancel race needs fal slower than our cancel: 10 s typical / 2 = 5 s per job. */
    static final double CANCEL_RACE_SPEED = 2;
    static final Duration CELL_WITHIN = Duration.ofSeconds(90);
    static final String KEY = TestStack.ACME_KEY;
    static final List<String> MODELS = List.of("fal-ai/image-editing/color-correction",
            "fal-ai/post-processing/sharpen", "fal-ai/image-editing/object-removal",
            "fal-ai/image-editing/face-enhancement", "fal-ai/image-editing/background-change");
    static final Set<String> TERMINAL = Set.of("succeeded", "failed", "canceled");
    /** Downloads give up after this long without a byte (30 s on AWS), so a stalled body is retried soon. */
    static final Duration DOWNLOAD_IDLE_TIMEOUT = Duration.ofSeconds(2);

    static FalEmulator fal;
    static LocalStack stack;
    static Api api;
    static String inputRef;
    static ExecutorService pool;
    static final Map<String, String> REPORT = new LinkedHashMap<>();

    @BeforeAll
    static void start() {
        fal = FalEmulator.start(FalEmulatorConfig.builder().port(0).speed(SPEED)
                .webhookRetryDelays(List.of(Duration.ofMillis(200), Duration.ofMillis(500))).build());
        stack = LocalStack.start(LocalStackConfig.builder(TestStack.repoRoot().resolve("template.yaml"))
                .apiKeys(List.of(new ApiKey("acme", KEY)))
                .fal(TestStack.backend(fal))
                .environmentOverrides(Map.of("FALGATE_DOWNLOAD_IDLE_TIMEOUT_MS",
                        Long.toString(DOWNLOAD_IDLE_TIMEOUT.toMillis())))
                .build());
        api = new Api(stack.apiUrl());
        pool = Executors.newFixedThreadPool(8);
        byte[] png = Images.png(48, 32);
        Api.Response r = api.post("/v1/uploads", KEY, Map.of("content_type", "image/png", "size", png.length,
                "file_name", "in.png"));
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        Api.Response put = api.put(r.json().get("url").asText(), "image/png", png);
        assertThat(put.status()).as(put.text()).isEqualTo(200);
        inputRef = r.json().get("ref").asText();
    }

    @AfterAll
    static void stop() {
        REPORT.forEach((cell, line) -> System.out.println("fault matrix | " + cell + " | " + line));
        if (pool != null) {
            pool.shutdownNow();
        }
        if (stack != null) {
            stack.close();
        }
        if (fal != null) {
            fal.close();
        }
    }

    static final int DUPLICATES = 5;

    /** What a cell expects of each of its jobs. */
    enum Expect { SUCCEEDED, MODEL_ERROR, UPSTREAM_ERROR, CANCELED_WITH_OUTPUTS, OUTPUT_COPY_FAILED, UPSTREAM_UNCERTAIN }

    @Test
    void everyKnobLeavesEveryJobInItsRightEndWithItsFilesOnce() throws Exception {
        Knob always = Knob.always();
        Knob half = Knob.probability(0.5);
        cell("drop_webhook", Map.of(Fault.DROP_WEBHOOK, always), Expect.SUCCEEDED);
        // every webhook delivered five times
        cell("duplicate_webhook x5", Map.of(Fault.DUPLICATE_WEBHOOK, always.withCopies(DUPLICATES)), Expect.SUCCEEDED);
        cell("delay_webhook", Map.of(Fault.DELAY_WEBHOOK, always.withDelay(Duration.ofMillis(2500))), Expect.SUCCEEDED);
        cell("webhook_before_result", Map.of(Fault.WEBHOOK_BEFORE_RESULT, always.withDelay(Duration.ofMillis(1500))),
                Expect.SUCCEEDED);
        // webhooks dropped, so the poller reads status and result (and meets the 503s)
        cell("status_http_error", Map.of(Fault.STATUS_HTTP_ERROR, half.withStatus(503), Fault.DROP_WEBHOOK, always),
                Expect.SUCCEEDED);
        cell("result_http_error", Map.of(Fault.RESULT_HTTP_ERROR, half.withStatus(503), Fault.DROP_WEBHOOK, always),
                Expect.SUCCEEDED);
        cell("truncated_download", Map.of(Fault.TRUNCATED_DOWNLOAD, half), Expect.SUCCEEDED);
        cell("model_error", Map.of(Fault.MODEL_ERROR, always), Expect.MODEL_ERROR);
        // fal's infrastructure failing the request, learnt from the webhook and (dropped) from the result replay
        cell("infrastructure_error", Map.of(Fault.INFRASTRUCTURE_ERROR, always), Expect.UPSTREAM_ERROR);
        cell("infrastructure_error+drop_webhook", Map.of(Fault.INFRASTRUCTURE_ERROR, always, Fault.DROP_WEBHOOK, always),
                Expect.UPSTREAM_ERROR);
        cell("payload_error", Map.of(Fault.PAYLOAD_ERROR, always), Expect.SUCCEEDED);
        fal.setSpeed(CANCEL_RACE_SPEED);
        try {
            cell("complete_despite_cancel", Map.of(Fault.COMPLETE_DESPITE_CANCEL, always), Expect.CANCELED_WITH_OUTPUTS);
            // the same race with no webhook (as with WEBHOOK_BASE_URL=none): the poller must bring the outputs
            cell("complete_despite_cancel+drop_webhook", Map.of(Fault.COMPLETE_DESPITE_CANCEL, always,
                    Fault.DROP_WEBHOOK, always), Expect.CANCELED_WITH_OUTPUTS);
        } finally {
            fal.setSpeed(SPEED);
        }

        assertNothingLeftOpen();
    }

    private List<String> cell(String name, Map<Fault, Knob> knobs, Expect expect) throws Exception {
        Instant started = Instant.now();
        Map<Fault, Long> before = new EnumMap<>(Fault.class);
        long acknowledgedBefore = fal.stats().totals().webhooksAcknowledged();
        knobs.keySet().forEach(f -> before.put(f, fal.stats().fired(f)));
        fal.faults().replace(new FaultSettings(7, knobs));
        List<JsonNode> done;
        try {
            List<Future<String>> submitted = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                String model = MODELS.get(i % MODELS.size());
                submitted.add(pool.submit(() -> {
                    String id = submit(model);
                    if (expect == Expect.CANCELED_WITH_OUTPUTS) {
                        Api.Response c = api.post("/v1/jobs/" + id + "/cancel", KEY, Map.of());
                        assertThat(c.status()).as(name + " cancel " + id + ": " + c.text()).isEqualTo(200);
                    }
                    return id;
                }));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> f : submitted) {
                ids.add(f.get());
            }
            Function<JsonNode, Boolean> finished = expect == Expect.CANCELED_WITH_OUTPUTS
                    ? j -> !"canceled".equals(j.path("status").asText()) || !j.get("files").isEmpty()
                    : j -> true;
            done = awaitAll(name, ids, finished);
        } finally {
            fal.faults().replace(FaultSettings.none());
        }
        long millis = Duration.between(started, Instant.now()).toMillis();
        Map<Fault, Long> fired = new EnumMap<>(Fault.class);
        knobs.keySet().forEach(f -> fired.put(f, fal.stats().fired(f) - before.get(f)));
        Map<String, Integer> outcomes = new java.util.TreeMap<>();
        done.forEach(j -> outcomes.merge(j.get("status").asText()
                + (j.get("error").isNull() ? "" : "/" + j.at("/error/code").asText()), 1, Integer::sum));
        long acknowledged = fal.stats().totals().webhooksAcknowledged() - acknowledgedBefore;
        REPORT.put(name, done.size() + " jobs | " + outcomes + " | fired " + fired + " | webhooks acknowledged "
                + acknowledged + " | " + millis + " ms");
        if (knobs.containsKey(Fault.DUPLICATE_WEBHOOK)) {
            assertThat(acknowledged).as(name + ": every copy of every webhook answered 2xx").isEqualTo((long) DUPLICATES * JOBS);
        }

        for (JsonNode job : done) {
            String id = job.get("id").asText();
            String what = name + " job " + job;
            switch (expect) {
                case SUCCEEDED -> assertThat(job.get("status").asText()).as(what).isEqualTo("succeeded");
                case MODEL_ERROR -> {
                    assertThat(job.get("status").asText()).as(what).isEqualTo("failed");
                    assertThat(job.at("/error/code").asText()).as(what).isEqualTo("model_error");
                }
                case UPSTREAM_ERROR -> {
                    assertThat(job.get("status").asText()).as(what).isEqualTo("failed");
                    assertThat(job.at("/error/code").asText()).as(what).isEqualTo("upstream_error");
                    assertThat(job.at("/error/message").asText()).as(what).isNotBlank();
                }
                case CANCELED_WITH_OUTPUTS -> {
                    assertThat(job.get("status").asText()).as(what).isEqualTo("canceled");
                    assertThat(job.get("files")).as(what).isNotEmpty();
                }
                case OUTPUT_COPY_FAILED -> {
                    assertThat(job.get("status").asText()).as(what).isEqualTo("failed");
                    assertThat(job.at("/error/code").asText()).as(what).isEqualTo("output_copy_failed");
                    assertThat(job.get("files")).as(what).isEmpty();
                    assertThat(rawResultKept(id)).as(name + ": fal's raw result of " + id + " is kept").isTrue();
                }
                case UPSTREAM_UNCERTAIN -> {
                    assertThat(job.get("status").asText()).as(what).isEqualTo("failed");
                    assertThat(job.at("/error/code").asText()).as(what).isEqualTo("upstream_uncertain");
                }
            }
            assertThat(acceptedSubmits(id)).as(name + ": submits fal accepted for " + what).isLessThanOrEqualTo(1);
            if (expect == Expect.SUCCEEDED || expect == Expect.CANCELED_WITH_OUTPUTS) {
                assertThat(job.get("files")).as(what).isNotEmpty();
            }
            long terminalEvents = 0;
            for (JsonNode e : job.get("events")) {
                terminalEvents += TERMINAL.contains(e.get("status").asText()) ? 1 : 0;
            }
            assertThat(terminalEvents).as(name + " terminal events of " + what).isEqualTo(1);
            assertThat(outputObjects(id)).as(name + " S3 objects under outputs/acme/" + id + "/ (files and their thumbnails)")
                    .isEqualTo(storedObjects(job));
        }
        fired.forEach((fault, count) -> assertThat(count).as(name + ": " + fault.wireName() + " fired").isPositive());
        return done.stream().map(j -> j.get("id").asText()).toList();
    }

    /**
     * fal's answers to the submit itself. 429 and 503 mean fal took nothing: the poll path sends
     * the job again and every job succeeds. A 500 may come after fal queued the request: never
     * sent again; with no webhook naming a request (the emulator did not accept it), the job fails
     * {@code upstream_uncertain} at its (scaled) deadline. An answer that never arrives while fal
     * runs the request: fal's webhook names the request and finishes the job.
     */
    @Test
    void fourAnswersToTheSubmitEachEndEveryJobRightAndNeverPayTwice() throws Exception {
        Knob half = Knob.probability(0.5);
        for (int status : List.of(429, 503)) {
            long accepted = fal.stats().totals().submits();
            long refused = fal.stats().fired(Fault.SUBMIT_HTTP_ERROR);
            cell("submit_http_error " + status, Map.of(Fault.SUBMIT_HTTP_ERROR, half.withStatus(status)), Expect.SUCCEEDED);
            long refusedNow = fal.stats().fired(Fault.SUBMIT_HTTP_ERROR) - refused;
            assertThat(fal.stats().totals().submits() - accepted).as(status + ": every job accepted once, after "
                    + refusedNow + " refusals").isEqualTo(JOBS);
            REPORT.computeIfPresent("submit_http_error " + status, (k, line) -> line + " | submit attempts "
                    + (JOBS + refusedNow));
        }
        long accepted = fal.stats().totals().submits();
        long refused = fal.stats().fired(Fault.SUBMIT_HTTP_ERROR);
        List<String> uncertain = cell("submit_http_error 500", Map.of(Fault.SUBMIT_HTTP_ERROR, Knob.always().withStatus(500)),
                Expect.UPSTREAM_UNCERTAIN);
        assertThat(fal.stats().fired(Fault.SUBMIT_HTTP_ERROR) - refused)
                .as("one submit per job: a 500 is never followed by another").isEqualTo(JOBS);
        assertThat(fal.stats().totals().submits() - accepted).as("fal accepted none").isZero();
        uncertain.forEach(id -> assertThat(acceptedSubmits(id)).isZero());
        // our fal timeout is 2 s here (15 s scaled, with a floor); fal answers after 5 s
        List<String> late = cell("submit_timeout", Map.of(Fault.SUBMIT_TIMEOUT, Knob.always().withDelay(Duration.ofSeconds(5))),
                Expect.SUCCEEDED);
        late.forEach(id -> assertThat(acceptedSubmits(id)).as(id).isEqualTo(1));
        for (String status : List.of("queued", "running")) {
            assertThat(api.get("/v1/jobs?limit=5&status=" + status, KEY).json().get("jobs")).as(status + " jobs").isEmpty();
        }
    }

    /** How many submits for this job fal accepted (each names the job's webhook URL). */
    private static long acceptedSubmits(String jobId) {
        return fal.acceptedSubmits().stream().filter(s -> s.webhookUrl() != null && s.webhookUrl().contains("/" + jobId + "?"))
                .count();
    }

    @Test
    void outputsThatCannotBeCopiedFailTheJobAndTransientCopyErrorsAreRetried() throws Exception {
        // fal's CDN answers 404 for every file of a struck request: no retry can help
        for (String id : cell("missing_output", Map.of(Fault.MISSING_OUTPUT, Knob.always()), Expect.OUTPUT_COPY_FAILED)) {
            assertThat(errorMessage(id)).as(id).contains("404");
        }
        // the result's files name a host outside the allow-list: refused before any connection,
        // which a listener on that host's address and port would have seen
        URI foreign = URI.create(fal.baseUrl().toString().replace("127.0.0.1", OutputFaults.FOREIGN_HOST));
        try (ConnectionTrap trap = ConnectionTrap.listen(foreign.getHost(), foreign.getPort())) {
            for (String id : cell("foreign_output_host", Map.of(Fault.FOREIGN_OUTPUT_HOST, Knob.always()),
                    Expect.OUTPUT_COPY_FAILED)) {
                assertThat(errorMessage(id)).as(id).contains("not a fal CDN host");
            }
            assertThat(trap.connections()).as("connections falgate made to " + foreign.getHost()).isZero();
        }

        // S3 refuses as many writes of output objects as there are jobs: transient copy errors, retried
        S3Faults.failOutputWrites(JOBS);
        long injectedBefore = S3Faults.injected();
        try {
            cell("s3_error_during_copy", Map.of(), Expect.SUCCEEDED);
        } finally {
            S3Faults.off();
        }
        assertThat(S3Faults.injected() - injectedBefore).as("S3 errors injected during the copy").isEqualTo(JOBS);
        REPORT.merge("s3_error_during_copy", " | S3 errors injected " + (S3Faults.injected() - injectedBefore), String::concat);

        // the first downloads trickle out over longer than the cell may take (CELL_WITHIN): only
        // the idle timeout lets the copy give up on them, and the retry then succeeds
        Duration stall = Duration.ofMinutes(2);
        Instant started = Instant.now();
        cell("slow_download stalled x5", Map.of(Fault.SLOW_DOWNLOAD, Knob.count(5).withDelay(stall)), Expect.SUCCEEDED);
        assertThat(Duration.between(started, Instant.now())).as("stalled downloads abandoned, not waited out")
                .isLessThan(stall);

        assertNothingLeftOpen();
    }

    private static void assertNothingLeftOpen() {
        for (String status : List.of("queued", "running")) {
            assertThat(api.get("/v1/jobs?limit=5&status=" + status, KEY).json().get("jobs")).as(status + " jobs").isEmpty();
        }
        assertThat(stack.s3().listMultipartUploads(l -> l.bucket(bucket())).uploads()).as("open multipart uploads").isEmpty();
    }

    /** A listener on an address falgate must never reach, counting whoever connects. */
    private static final class ConnectionTrap implements AutoCloseable {
        private final java.net.ServerSocket socket;
        private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();

        private ConnectionTrap(java.net.ServerSocket socket) {
            this.socket = socket;
            Thread accepting = new Thread(this::acceptUntilClosed, "connection-trap");
            accepting.setDaemon(true);
            accepting.start();
        }

        static ConnectionTrap listen(String host, int port) throws java.io.IOException {
            return new ConnectionTrap(new java.net.ServerSocket(port, 50, java.net.InetAddress.getByName(host)));
        }

        private void acceptUntilClosed() {
            while (!socket.isClosed()) {
                try (java.net.Socket s = socket.accept()) {
                    connections.incrementAndGet();
                } catch (java.io.IOException closed) {
                    return;
                }
            }
        }

        int connections() {
            return connections.get();
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
        }
    }

    private static String errorMessage(String jobId) {
        return api.get("/v1/jobs/" + jobId, KEY).json().at("/error/message").asText();
    }

    /** In S3 under {@code results/<job>/}, or (up to 32 KB) in the job item as {@code result_inline}. */
    private static boolean rawResultKept(String jobId) {
        var item = stack.dynamoDb().getItem(g -> g.tableName(stack.environment("ReadFunction").get("JOBS_TABLE"))
                .consistentRead(true).key(Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("JOB#" + jobId),
                        "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("JOB")))).item();
        return (item.containsKey("result_inline") && !item.get("result_inline").s().isBlank())
                || stack.s3().listObjectsV2(l -> l.bucket(bucket()).prefix("results/" + jobId + "/")).keyCount() > 0;
    }

    private String submit(String model) {
        ObjectNode body = Api.JSON.createObjectNode().put("model", model);
        body.putObject("input").put("image_url", inputRef);
        Api.Response r = api.post("/v1/jobs", KEY, body);
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        return r.json().get("id").asText();
    }

    /** Reads every job until each is terminal and {@code finished}; fails naming the laggards. */
    private List<JsonNode> awaitAll(String cell, List<String> ids, Function<JsonNode, Boolean> finished) {
        Map<String, JsonNode> last = new LinkedHashMap<>();
        ids.forEach(id -> last.put(id, null));
        Instant deadline = Instant.now().plus(CELL_WITHIN);
        List<String> open = new ArrayList<>(ids);
        while (!open.isEmpty() && Instant.now().isBefore(deadline)) {
            for (String id : List.copyOf(open)) {
                Api.Response r = api.get("/v1/jobs/" + id, KEY);
                assertThat(r.status()).as(r.text()).isEqualTo(200);
                JsonNode job = r.json();
                last.put(id, job);
                if (TERMINAL.contains(job.get("status").asText()) && finished.apply(job)) {
                    open.remove(id);
                }
            }
            if (!open.isEmpty()) {
                Api.pause(Duration.ofMillis(300));
            }
        }
        assertThat(open).as(cell + ": jobs not finished within " + CELL_WITHIN + "; first: "
                + (open.isEmpty() ? "" : last.get(open.get(0)))).isEmpty();
        return new ArrayList<>(last.values());
    }

    /** Each file once, plus a thumbnail for each image output that has one. */
    /** Each file, and each thumbnail that is an object of its own (an image no larger than a thumbnail is its own). */
    private static int storedObjects(JsonNode job) {
        int thumbnails = 0;
        for (JsonNode file : job.get("files")) {
            JsonNode thumb = file.path("thumbnail_url");
            thumbnails += thumb.isTextual() && !URI.create(thumb.asText()).getPath()
                    .equals(URI.create(file.get("url").asText()).getPath()) ? 1 : 0;
        }
        return job.get("files").size() + thumbnails;
    }

    private static String bucket() {
        return stack.environment("ReadFunction").get("FILES_BUCKET");
    }

    private static int outputObjects(String jobId) {
        return stack.s3().listObjectsV2Paginator(l -> l.bucket(bucket()).prefix("outputs/acme/" + jobId + "/"))
                .contents().stream().mapToInt(o -> 1).sum();
    }
}
