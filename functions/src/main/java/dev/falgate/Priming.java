package dev.falgate;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.catalog.Catalog;
import dev.falgate.catalog.ModelSpec;
import dev.falgate.config.SecretSource;
import dev.falgate.fal.FalClient;
import dev.falgate.http.HttpFunction;
import dev.falgate.http.Json;
import dev.falgate.jobs.Job;
import dev.falgate.jobs.JobEventSink;
import dev.falgate.jobs.JobRepository;
import dev.falgate.jobs.JobStatus;
import dev.falgate.outputs.Thumbnails;
import dev.falgate.poller.PollScheduler;
import dev.falgate.snapstart.CannedAws;
import dev.falgate.snapstart.Primer;
import dev.falgate.snapstart.Samples;
import dev.falgate.storage.BlobStore;
import dev.falgate.uploads.FileSniffer;
import dev.falgate.webhooks.WebhookMessage;
import dev.falgate.webhooks.WebhookSigner;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Each function's SnapStart primer ({@link Primer}): what its first request does, done once
 * before the snapshot with nothing stored and nothing sent. Real AWS calls are reads of keys that
 * cannot exist or requests the handler refuses before touching state (an API key that does not
 * exist, a webhook token that does not match); writes run through {@link CannedAws}; fal's HTTP
 * path runs against a loopback server. No id, key or timestamp made here outlives priming.
 */
public final class Priming {
    /** Well-formed, never issued: auth looks it up (a GetItem) and refuses it. */
    static final String NO_SUCH_API_KEY = "fg_primer0000000000000000000000000000000000";
    /** A job id no ULID generator produces before 2100 ("0" timestamps), so every lookup misses. */
    static final String NO_SUCH_JOB = "job_00000000000000000000PRIMER";
    static final Instant FIXED_TIME = Instant.parse("2026-01-01T00:00:00Z");
    /** In a shadow graph's environment: its handlers register no primer of their own. */
    static final String SHADOW = "FALGATE_PRIMING_SHADOW";
    static final String SAMPLE_MODEL = "fal-ai/post-processing/sharpen";

    private Priming() {
    }

    public static Primer submit(Services s, HttpFunction handler) {
        return register(s, common(s, "SubmitHandler")
                .step("POST /v1/jobs (unknown API key: refused)", () -> http(handler, "POST /v1/jobs", "/v1/jobs",
                        Map.of(), Json.write(Json.object().put("model", sampleModel().id()).set("input", sampleInput()))))
                .step("POST /v1/jobs accepted by a shadow handler on in-memory AWS and a loopback fal",
                        () -> shadowSubmit(s, handler))
                .step("POST /v1/uploads (unknown API key: refused)", () -> http(handler, "POST /v1/uploads",
                        "/v1/uploads", Map.of(), "{\"content_type\":\"image/png\",\"size\":100}"))
                .step("job and queue writes (in memory)", () -> writes(s))
                .step("fal queue API (loopback)", Priming::falQueue)
                .step("image sniffing", () -> FileSniffer.dimensions(Samples.png()).orElseThrow())
                );
    }

    /** The fal proxy: refused calls through the handler, and the fal queue API it forwards to. */
    public static Primer proxy(Services s, HttpFunction handler) {
        return register(s, common(s, "FalProxyHandler")
                .step("GET /api/fal/proxy (unknown API key: refused)", () -> http(handler, "GET /api/fal/proxy",
                        "/api/fal/proxy", Map.of(), null))
                .step("POST /v1/tokens (unknown API key: refused)", () -> http(handler, "POST /v1/tokens",
                        "/v1/tokens", Map.of(), "{\"ttl_seconds\":60}"))
                .step("job and queue writes (in memory)", () -> writes(s))
                .step("fal queue API (loopback)", Priming::falQueue)
                );
    }

    public static Primer read(Services s, HttpFunction handler) {
        return register(s, common(s, "ReadHandler")
                .step("GET /v1/jobs/{id} (unknown API key: refused)", () -> http(handler, "GET /v1/jobs/{id}",
                        "/v1/jobs/" + NO_SUCH_JOB, Map.of("id", NO_SUCH_JOB), null))
                .step("GET /v1/jobs (unknown API key: refused)", () -> http(handler, "GET /v1/jobs", "/v1/jobs", Map.of(), null))
                .step("GET / (the page)", () -> http(handler, "GET /", "/", Map.of(), null))
                .step("job list reads (in memory)", () -> cannedJobs(new CannedAws()).list("primer", null, null, 10, null))
                .step("presigned GETs (made-up credentials)", Priming::signedGets)
                );
    }

    public static Primer callback(Services s, HttpFunction handler) {
        return register(s, common(s, "CallbackHandler")
                .step("POST /v1/webhooks/fal/{id} (wrong token: refused)", () -> http(handler,
                        "POST /v1/webhooks/fal/{id}", "/v1/webhooks/fal/" + NO_SUCH_JOB, Map.of("id", NO_SUCH_JOB),
                        "{\"status\":\"OK\",\"payload\":{}}"))
                .step("Ed25519 verification", Samples::verifyEd25519)
                .step("job, result and queue writes (in memory)", () -> writes(s))
                .step("JWKS fetch path (loopback)", Priming::falQueue)
                );
    }

    public static Primer poller(Services s, RequestHandler<SQSEvent, SQSBatchResponse> handler) {
        return register(s, common(s, "PollerHandler")
                .step("poll message for a job that does not exist", () -> handler.handleRequest(
                        sqs("{\"job_id\":\"" + NO_SUCH_JOB + "\",\"reason\":\"POLL\",\"attempt\":0}"), null))
                .step("job, result and queue writes (in memory)", () -> writes(s))
                .step("fal queue API (loopback)", Priming::falQueue)
                .step("thumbnail", () -> Thumbnails.png(new ByteArrayInputStream(Samples.png())).orElseThrow())
                );
    }

    public static Primer webhooks(Services s, RequestHandler<SQSEvent, SQSBatchResponse> handler) {
        return register(s, common(s, "WebhookHandler")
                .step("webhook message for a job that does not exist", () -> handler.handleRequest(
                        sqs(WebhookMessage.first(NO_SUCH_JOB, "job.succeeded", FIXED_TIME).toJson()), null))
                .step("signature", () -> WebhookSigner.sign("whsec_cHJpbWVy", "msg_primer", 0, new byte[1]))
                .step("job and queue writes (in memory)", () -> writes(s))
                );
    }

    /** The sweeper: its one query (on the sparse index: a read) and the writes of a sweep. */
    public static Primer sweep(Services s) {
        return register(s, common(s, "SweepHandler")
                .step("sweep query", () -> s.jobs().sweepDue(FIXED_TIME, 1))
                .step("job and queue writes (in memory)", () -> writes(s)));
    }

    /** Dead letters: a job read and the writes of failing one. */
    public static Primer deadLetters(Services s) {
        return register(s, common(s, "DeadLetterHandler")
                .step("job and queue writes (in memory)", () -> writes(s)));
    }

    private static Primer common(Services s, String function) {
        return new Primer(function)
                .step("DynamoDB GetItem of a job that does not exist", () -> s.jobs().find(NO_SUCH_JOB))
                .step("Jackson round trip of a job", () -> Json.parse(Json.write(s.jobView().render(sampleJob()))));
    }

    /**
     * A complete, accepted submit through a second handler of the same class whose environment
     * points every AWS endpoint at {@link CannedAws}' loopback server and fal at a loopback one:
     * the real request path end to end (auth, validation, upload, job writes, poll, fal submit,
     * rendering) with nothing leaving the JVM. The shadow's objects are garbage afterwards.
     */
    private static void shadowSubmit(Services s, HttpFunction handler) throws Exception {
        CannedAws aws = new CannedAws();
        try (CannedAws.Loopback awsServer = aws.serve(); Samples.LoopbackServer fal = new Samples.LoopbackServer()) {
            HttpFunction shadow = handler.getClass().getConstructor(Map.class)
                    .newInstance(shadowEnvironment(s, awsServer.base(), fal.base().toString()));
            String image = "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(Samples.png());
            APIGatewayV2HTTPResponse answer = http(shadow, "POST /v1/jobs", "/v1/jobs", Map.of(), Json.write(Json.object()
                    .put("model", SAMPLE_MODEL).set("input", Json.object().put("image_url", image))));
            if (answer.getStatusCode() != 202) {
                throw new IllegalStateException("shadow submit answered " + answer.getStatusCode() + ": " + answer.getBody());
            }
        }
    }

    private static Map<String, String> shadowEnvironment(Services s, String aws, String fal) {
        Map<String, String> env = new java.util.HashMap<>(s.settings().env());
        for (String service : List.of("DYNAMODB", "S3", "SQS", "SECRETSMANAGER")) {
            env.put("FALGATE_ENDPOINT_" + service, aws);
        }
        env.put("FALGATE_PUBLIC_S3_ENDPOINT", aws);
        env.put("FALGATE_S3_PATH_STYLE", "true");
        env.put("AWS_ACCESS_KEY_ID", "primer");
        env.put("AWS_SECRET_ACCESS_KEY", "primer");
        env.remove("AWS_SESSION_TOKEN");
        env.put("FAL_KEY", "primer");
        env.put("WEBHOOK_SECRET", "primer");
        env.put("CURSOR_SECRET", "primer");
        env.put("FAL_QUEUE_BASE_URL", fal);
        env.put("FAL_JWKS_URL", fal + "/jwks");
        env.put("WEBHOOK_BASE_URL", "https://primer.invalid");
        env.remove("FAL_INPUT_STORAGE");
        env.remove("FALGATE_TEST_HOOK");
        env.put(SHADOW, "true");
        return env;
    }

    /** Creates, reads back, moves and deletes a job, sends a poll, stores and presigns a file: all in memory. */
    private static void writes(Services s) throws Exception {
        CannedAws aws = new CannedAws();
        JobRepository jobs = cannedJobs(aws);
        Job job = sampleJob();
        jobs.create(job);
        jobs.update(job.id(), j -> j.moveTo(JobStatus.RUNNING, "primer", FIXED_TIME));
        // a result recorded, and one refused (no such job: what a late or repeated webhook meets)
        JobRepository.RecordedResult result = new JobRepository.RecordedResult("OK", "primer", null);
        try (var scope = dev.falgate.telemetry.LogContext.begin("primer")) { // the writes name their job in it
            jobs.recordResult(job.id(), null, result, null, "{}", FIXED_TIME);
            jobs.recordResult(NO_SUCH_JOB + "X", null, result, null, "{}", FIXED_TIME);
        }
        jobs.delete(jobs.find(job.id()).orElseThrow());
        new PollScheduler(aws.sqs(), "https://sqs.us-east-1.amazonaws.com/000000000000/primer",
                "https://sqs.us-east-1.amazonaws.com/000000000000/primer-finish", s.settings()).first(job.id(), 1);
        BlobStore blobs = new BlobStore(aws.s3(), aws.presigner(), "primer");
        blobs.put("primer/result.json", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json");
        blobs.putStream("primer/file.png", "image/png", new ByteArrayInputStream(Samples.png()), -1, 64);
        blobs.presignGet("primer/file.png", Duration.ofMinutes(1));
        signedGets();
    }

    /** The hand-signed GETs a job's files get (made-up credentials: none is resolved before the snapshot). */
    private static void signedGets() {
        dev.falgate.storage.GetPresigner.forBucket(() -> software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                "primer", "primer"), "us-east-1", java.util.Optional.empty(), false, "primer", Map.of(), java.time.Clock.systemUTC())
                .ifPresent(gets -> new BlobStore((software.amazon.awssdk.services.s3.S3Client) null, null, "primer")
                        .withGets(gets).presignDownload("primer/file.png", Duration.ofMinutes(1), "file.png"));
    }

    private static Primer register(Services s, Primer primer) {
        return s.settings().optional(SHADOW).isPresent() ? primer : primer.register();
    }

    private static JobRepository cannedJobs(CannedAws aws) {
        return new JobRepository(aws.dynamoDb(), "primer", 1, JobEventSink.NONE);
    }

    /** fal's queue API through the JDK HTTP client: submit, status, result, cancel against a loopback server. */
    private static void falQueue() throws Exception {
        try (Samples.LoopbackServer server = new Samples.LoopbackServer()) {
            FalClient fal = new FalClient(FalClient.defaultHttpClient(), server.base(), SecretSource.of("primer"),
                    Duration.ofSeconds(5));
            FalClient.Submitted submitted = fal.submit(sampleModel().id(), sampleInput(), server.base() + "/hook");
            fal.status(submitted.statusUrl());
            fal.result(submitted.responseUrl());
            fal.cancel(submitted.cancelUrl());
        }
    }

    private static APIGatewayV2HTTPResponse http(HttpFunction handler, String routeKey, String path, Map<String, String> pathParameters,
            String body) {
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setRouteKey(routeKey);
        event.setRawPath(path);
        event.setPathParameters(pathParameters);
        event.setQueryStringParameters(Map.of("token", "primer"));
        event.setHeaders(Map.of("authorization", "Bearer " + NO_SUCH_API_KEY, "content-type", "application/json",
                "host", "primer.invalid"));
        event.setBody(body);
        event.setIsBase64Encoded(false);
        event.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                        .withMethod(routeKey.substring(0, routeKey.indexOf(' '))).withPath(path).build())
                .withRequestId("primer").build());
        return handler.handleRequest(event, null);
    }

    private static SQSEvent sqs(String body) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId("primer");
        message.setBody(body);
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message));
        return event;
    }

    private static ModelSpec sampleModel() {
        return Catalog.standard().models().get(0);
    }

    private static ObjectNode sampleInput() {
        return Json.object().put("image_url", "https://primer.invalid/in.png");
    }

    private static Job sampleJob() {
        return Job.create(NO_SUCH_JOB, "primer", sampleModel().id(), sampleInput(), Json.object(), FIXED_TIME,
                FIXED_TIME.plusSeconds(3600), FIXED_TIME.plusSeconds(60));
    }
}
