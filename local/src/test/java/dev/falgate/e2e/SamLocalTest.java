package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.config.SecretSource;
import dev.falgate.emulator.FalEmulator;
import dev.falgate.emulator.FalEmulatorConfig;
import dev.falgate.fal.WebhookTokens;
import dev.falgate.local.LocalStack;
import dev.falgate.local.LocalStackConfig;
import dev.falgate.local.SamEnvironment;
import dev.falgate.local.template.FunctionDef;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * falgate through the real SAM CLI, as a user with Docker walks it (README, "Testing with sam
 * local"), on podman here: {@code sam validate --lint}, one {@code sam build} of a fresh copy of
 * the sources (one Maven run, the artifact checked), {@code sam local invoke} of every sample
 * event against the embedded stack with the payload asserted, and {@code sam local start-api}
 * carrying a job to {@code succeeded}. Functions in containers get only endpoints and secret ids
 * ({@code --env-vars}, written by {@link SamEnvironment}); their secrets come from the stack's
 * Secrets Manager stand-in, as on AWS.
 *
 * <p>Skipped with {@code -Dfalgate.skipSam=true} (a machine without root or Debian's packages);
 * CI runs it (the scripts install podman, the SAM CLI and the image when missing).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SamLocalTest {
    private static final Duration SETUP = Duration.ofMinutes(15);
    private static final Duration INVOKE = Duration.ofMinutes(3);
    private static final String SAMPLE_JOB = "job_01JDQ7V3K8Y9ZC2M4N6P8R0T2W";
    private static final String SAMPLE_JOB_2 = "job_01JDQ7V3K8Y9ZC2M4N6P8R0T2X";
    /** fal-webhook.json's URL token, made for SAMPLE_JOB under the sample secret (events/README.md). */
    private static final String SAMPLE_JOB_TOKEN = "HdwnUO04KmIiNNrAvz0PU1J-s6otxE7NEECgvwQiUpc";
    private static final String TENANT = "demo";

    private Path repo;
    private Path tmp;
    private Map<String, String> env;
    private SamTools.PodmanService podman;
    private FalEmulator fal;
    private LocalStack stack;
    private Api api;
    private String key;
    private Path envVars;
    private SamTools.Result lint;
    private SamTools.Result build;
    private final List<String> existingJobs = new ArrayList<>();
    private final Map<String, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();

    /** Every sample event in events/ and the function it is for. */
    private static final Map<String, String> INVOKES = orderedMap(
            "list-models.json", "ReadFunction", "get-job.json", "ReadFunction", "list-jobs.json", "ReadFunction",
            "submit-job.json", "SubmitFunction", "create-upload.json", "SubmitFunction", "cancel-job.json", "SubmitFunction",
            "fal-webhook.json", "CallbackFunction", "poll-batch.json", "PollerFunction",
            "finish-batch.json", "FinishFunction", "dead-letter-batch.json", "DeadLetterFunction",
            "webhook-delivery.json", "WebhookFunction", "sweep.json", "SweeperFunction",
            "mint-token.json", "FalProxyFunction");

    @BeforeAll
    void setUp() throws IOException {
        Assumptions.assumeFalse(Boolean.getBoolean("falgate.skipSam"), "-Dfalgate.skipSam=true");
        Path root = SamTools.repoRoot();
        tmp = Files.createTempDirectory("falgate-sam");
        env = SamTools.environment(tmp.resolve("podman.sock"));
        // side by side: one is mostly PyPI downloads, the other Debian's
        CompletableFuture<?> venv = CompletableFuture.runAsync(() -> timed("SAM CLI venv",
                () -> SamTools.runOk(root, SETUP, env, List.of("sam/bin/ensure-sam"))));
        timed("image (./falgate sam-image)", () -> SamTools.runOk(root, SETUP, env, List.of("./falgate", "sam-image")));
        venv.join();
        podman = new SamTools.PodmanService(tmp.resolve("podman.sock"), env, Duration.ofSeconds(60));
        repo = tmp.resolve("repo");
        SamTools.copySources(root, repo);
        lint = timed("sam validate --lint", () -> SamTools.run(repo, SETUP, env, sam("validate", "--lint")));
        build = timed("sam build", () -> SamTools.run(repo, SETUP, env, sam("build")));
        startStack();
        SamTools.runOk(repo, SETUP, env, List.of("./falgate", "keys", "create", "--tenant", TENANT, "--events",
                "--local", "--table", stack.jobsTable().orElseThrow(), "--endpoint", stack.endpoints().dynamoDb().toString()));
        key = keyFromEvents();
        existingJobs.add(submitInJvm());
        existingJobs.add(submitInJvm());
        pointEventsAtExistingJobs();
        envVars = SamEnvironment.write(stack, tmp.resolve(SamEnvironment.FILE_NAME), SamEnvironment.DEFAULT_CONTAINER_HOST);
        invokeAll();
    }

    /**
     * Every sample event's invoke, two at a time (each is a fresh container and JVM, mostly one
     * core's work); none changes what another reads. The first runs alone: it makes SAM build
     * its emulator image on top of ours, once.
     */
    private void invokeAll() {
        timed("sam local invoke of " + INVOKES.size() + " events", () -> {
            ExecutorService two = Executors.newFixedThreadPool(2);
            try {
                INVOKES.forEach((event, function) -> {
                    Supplier<JsonNode> call = () -> invokeNow(function, event);
                    // the first on this thread, to its end
                    answers.put(event, CompletableFuture.supplyAsync(call, answers.isEmpty() ? Runnable::run : two));
                });
                CompletableFuture.allOf(answers.values().toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
            } finally {
                two.shutdown();
            }
            return null;
        });
    }

    private void startStack() {
        fal = FalEmulator.start(FalEmulatorConfig.builder().port(0).speed(TestStack.FAL_SPEED).build());
        stack = LocalStack.start(LocalStackConfig.builder(repo.resolve("template.yaml"))
                .fal(TestStack.backend(fal)).build());
        api = new Api(stack.apiUrl());
    }

    @AfterAll
    void tearDown() {
        if (stack != null) {
            stack.close();
        }
        if (fal != null) {
            fal.close();
        }
        if (podman != null) {
            podman.close();
        }
    }

    @Test
    @Order(1)
    void validateLintFindsNothing() {
        System.out.println("sam validate --lint: " + lint.stdout().strip() + " " + lint.stderr().strip());
        assertThat(lint.exit()).as(lint.both()).isZero();
        assertThat(lint.stdout() + lint.stderr()).contains("is a valid SAM Template").doesNotContain("[[");
    }

    @Test
    @Order(2)
    void buildRunsMavenOnceForEveryFunction() throws IOException {
        assertThat(build.exit()).as(build.both()).isZero();
        assertThat(build.stdout() + build.stderr()).contains("Build Succeeded");
        List<String> mavenRuns = Files.readAllLines(repo.resolve("target/sam-maven-runs.log"));
        System.out.printf("sam build: %d functions, %d Maven run(s)%n", functions().size(), mavenRuns.size());
        assertThat(mavenRuns).hasSize(1);
    }

    @Test
    @Order(3)
    void builtArtifactHoldsEveryHandlerAndNoEmulator() throws IOException {
        for (FunctionDef function : functions()) {
            Path dir = repo.resolve(".aws-sam/build").resolve(function.logicalId());
            try (Stream<Path> files = Files.walk(dir)) {
                assertThat(files.filter(Files::isRegularFile).map(f -> dir.relativize(f).toString()))
                        .as("only the jar, nothing copied from the sources").containsExactly(
                                "lib/falgate-functions-0.1.0-SNAPSHOT-lambda.jar");
            }
            try (JarFile jar = new JarFile(dir.resolve("lib/falgate-functions-0.1.0-SNAPSHOT-lambda.jar").toFile())) {
                List<String> names = Collections.list(jar.entries()).stream().map(ZipEntry::getName).toList();
                assertThat(names).contains(function.handlerClass().replace('.', '/') + ".class");
                for (String forbidden : LambdaArtifactTest.FORBIDDEN) {
                    assertThat(names).as(function.logicalId() + ": nothing under " + forbidden)
                            .noneMatch(n -> n.startsWith(forbidden));
                }
            }
        }
    }

    @Test
    @Order(4)
    void everySampleEventIsInvoked() throws IOException {
        try (Stream<Path> events = Files.list(repo.resolve("events"))) {
            assertThat(events.map(e -> e.getFileName().toString()).filter(n -> n.endsWith(".json")))
                    .containsExactlyInAnyOrderElementsOf(INVOKES.keySet());
        }
        assertThat(INVOKES.values()).containsAll(functions().stream().map(FunctionDef::logicalId).toList());
    }

    @Test
    @Order(4)
    void listModelsAnswersTheCatalog() {
        JsonNode body = okBody(invoke("ReadFunction", "list-models.json"), 200);
        assertThat(body.path("models")).hasSize(23);
    }

    @Test
    @Order(5)
    void getJobAndListJobsAnswerForAnExistingJob() {
        JsonNode job = okBody(invoke("ReadFunction", "get-job.json"), 200);
        assertThat(job.path("id").asText()).isEqualTo(existingJobs.get(0));
        assertThat(job.path("status").asText()).isEqualTo("succeeded");
        JsonNode list = okBody(invoke("ReadFunction", "list-jobs.json"), 200);
        assertThat(list.path("jobs").findValuesAsText("id")).containsAll(existingJobs);
    }

    @Test
    @Order(6)
    void submitCreateUploadAndCancelAnswerAsTheApiDoes() {
        JsonNode submitted = okBody(invoke("SubmitFunction", "submit-job.json"), 202);
        assertThat(submitted.path("id").asText()).startsWith("job_");
        assertThat(api.get("/v1/jobs/" + submitted.path("id").asText(), key).status()).isEqualTo(200);
        JsonNode upload = okBody(invoke("SubmitFunction", "create-upload.json"), 201);
        assertThat(upload.path("upload_id").asText()).isNotBlank();
        assertThat(upload.path("url").asText()).contains("X-Amz-Signature=");
        JsonNode notCancelable = okBody(invoke("SubmitFunction", "cancel-job.json"), 409);
        assertThat(notCancelable.path("error").path("code").asText()).isEqualTo("not_cancelable");
    }

    @Test
    @Order(6)
    void aBrowserTokenIsMintedForTheKeysTenant() {
        JsonNode minted = okBody(invoke("FalProxyFunction", "mint-token.json"), 201);
        assertThat(minted.path("token").asText()).startsWith("fgt_");
        assertThat(minted.path("expires_at").asText()).isNotBlank();
    }

    @Test
    @Order(7)
    void unsignedFalWebhookIsRefusedWithTheErrorEnvelope() {
        JsonNode refused = okBody(invoke("CallbackFunction", "fal-webhook.json"), 401);
        assertThat(refused.path("error").path("code").asText()).isEqualTo("invalid_signature");
        assertThat(refused.path("error").path("message").asText()).isNotBlank();
    }

    @Test
    @Order(8)
    void sqsBatchesOfExistingJobsReportNoFailure() {
        assertThat(invoke("PollerFunction", "poll-batch.json").path("batchItemFailures")).isEmpty();
        assertThat(invoke("FinishFunction", "finish-batch.json").path("batchItemFailures")).isEmpty();
        assertThat(invoke("DeadLetterFunction", "dead-letter-batch.json").path("batchItemFailures")).isEmpty();
        assertThat(invoke("WebhookFunction", "webhook-delivery.json").path("batchItemFailures")).isEmpty();
        Api.Response job = api.get("/v1/jobs/" + existingJobs.get(0), key);
        assertThat(job.json().path("status").asText()).as("a finished job is not failed by its dead letter, nor finished twice")
                .isEqualTo("succeeded");
    }

    @Test
    @Order(9)
    void scheduledSweepAnswers() {
        assertThat(invoke("SweeperFunction", "sweep.json").asText()).matches("swept \\d+");
    }

    @Test
    @Order(10)
    void startApiServesTheApiAndCarriesAJobToSucceeded() throws IOException, InterruptedException {
        int port = freePort();
        URI base = URI.create("http://127.0.0.1:" + port);
        Path log = SamTools.repoRoot().resolve("local/target/sam-start-api.log");
        long started = System.nanoTime();
        Process startApi = SamTools.start(repo, env, log, sam("local", "start-api", "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--env-vars", envVarsWithWebhookBase(base).toString(),
                "--skip-pull-image", "--add-host", SamTools.ADD_HOST, "--warm-containers", "LAZY"));
        try {
            Api viaSam = new Api(base);
            Api.Response models = awaitAnswer(startApi, log, () -> viaSam.get("/v1/models", key));
            System.out.printf("sam local start-api: GET /v1/models %d after %.1f s%n", models.status(),
                    (System.nanoTime() - started) / 1e9);
            assertThat(models.status()).as(models.text()).isEqualTo(200);
            assertThat(models.json().path("models")).hasSize(23);

            Api.Response submitted = viaSam.post("/v1/jobs", key, sampleSubmitBody());
            assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
            String id = submitted.json().path("id").asText();
            JsonNode done = viaSam.awaitJob(key, id, j -> j.path("status").asText().equals("succeeded"),
                    Duration.ofMinutes(3));
            System.out.printf("sam local start-api: job %s succeeded %.1f s after start-api started%n", id,
                    (System.nanoTime() - started) / 1e9);
            List<S3Object> outputs = stack.s3().listObjectsV2(r -> r.bucket(stack.template().buckets().get(0).bucketName())
                    .prefix("outputs/" + TENANT + "/" + id + "/")).contents();
            assertThat(outputs).as("the job's outputs in the embedded S3: " + done).isNotEmpty();
            assertThat(outputs).allMatch(o -> o.size() > 0);
        } finally {
            SamTools.stop(startApi);
        }
    }

    // ---- helpers

    /** sam-env.json with the API's public base set to start-api's, so fal's webhook reaches CallbackFunction there. */
    private Path envVarsWithWebhookBase(URI base) throws IOException {
        Map<String, Map<String, String>> vars = SamEnvironment.envVars(stack, SamEnvironment.DEFAULT_CONTAINER_HOST);
        vars.values().forEach(v -> v.computeIfPresent("WEBHOOK_BASE_URL", (name, old) -> base.toString()));
        Path file = tmp.resolve("sam-env-start-api.json");
        Api.JSON.writeValue(file.toFile(), vars);
        return file;
    }

    /** The first answer of a server still starting (connection refused until then), within a deadline. */
    private static Api.Response awaitAnswer(Process server, Path log, java.util.function.Supplier<Api.Response> request)
            throws IOException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            try {
                return request.get();
            } catch (AssertionError notYet) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("start-api did not answer: " + Files.readString(log), notYet);
                }
                Api.pause(Duration.ofMillis(500));
            }
        }
    }

    private String sampleSubmitBody() throws IOException {
        JsonNode event = Api.JSON.readTree(repo.resolve("events/submit-job.json").toFile());
        return new String(Base64.getDecoder().decode(event.path("body").asText()), java.nio.charset.StandardCharsets.UTF_8);
    }

    private List<FunctionDef> functions() {
        return stack.template().functions();
    }

    private List<String> sam(String... args) {
        List<String> command = new ArrayList<>(List.of(SamTools.venvSam().toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** The answer of {@link #invokeAll}'s invoke of {@code event}, which must be {@code function}'s. */
    private JsonNode invoke(String function, String event) {
        assertThat(INVOKES).containsEntry(event, function);
        try {
            return answers.get(event).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof AssertionError failure) {
                throw failure;
            }
            throw e;
        }
    }

    /** {@code sam local invoke} with a sample event from .falgate/events; its payload (stdout) as JSON. */
    private JsonNode invokeNow(String function, String event) {
        SamTools.Result r = SamTools.run(repo, INVOKE, env, sam("local", "invoke", function,
                "-e", ".falgate/events/" + event, "--env-vars", envVars.toString(),
                "--skip-pull-image", "--add-host", SamTools.ADD_HOST));
        System.out.printf("sam local invoke %s -e %s: exit %d in %d ms%n", function, event, r.exit(), r.took().toMillis());
        assertThat(r.exit()).as(r.both()).isZero();
        String payload = r.stdout().strip();
        try {
            return Api.JSON.readTree(payload.substring(payload.lastIndexOf("\n") + 1));
        } catch (IOException e) {
            throw new AssertionError("no JSON payload: " + r.both(), e);
        }
    }

    /** An API Gateway proxy answer's status and its JSON body. */
    private static JsonNode okBody(JsonNode answer, int status) {
        assertThat(answer.path("statusCode").asInt()).as(answer.toString()).isEqualTo(status);
        String body = answer.path("body").asText();
        if (answer.path("isBase64Encoded").asBoolean()) {
            body = new String(Base64.getDecoder().decode(body), java.nio.charset.StandardCharsets.UTF_8);
        }
        try {
            return Api.JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("body not JSON: " + answer, e);
        }
    }

    private String keyFromEvents() throws IOException {
        JsonNode event = Api.JSON.readTree(repo.resolve(".falgate/events/list-models.json").toFile());
        String bearer = event.path("headers").path("authorization").asText();
        assertThat(bearer).startsWith("Bearer fg_").doesNotContain("replace-with");
        return bearer.substring("Bearer ".length());
    }

    /** A job submitted through the in-JVM API with the sample event's body, awaited to succeeded. */
    private String submitInJvm() throws IOException {
        Api.Response submitted = api.post("/v1/jobs", key, sampleSubmitBody());
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
        String id = submitted.json().path("id").asText();
        api.awaitJob(key, id, j -> j.path("status").asText().equals("succeeded"), Duration.ofSeconds(60));
        return id;
    }

    /**
     * The copies' sample job ids replaced by jobs that exist; the fal webhook's URL token made
     * for that job under this stack's webhook secret, so the function, having read the same
     * secret from the Secrets Manager stand-in, gets past the token to the signature.
     */
    private void pointEventsAtExistingJobs() throws IOException {
        WebhookTokens tokens = new WebhookTokens(SecretSource.of(stack.environment("CallbackFunction").get("WEBHOOK_SECRET")));
        try (Stream<Path> events = Files.list(repo.resolve(".falgate/events"))) {
            for (Path event : events.toList()) {
                Files.writeString(event, Files.readString(event).replace(SAMPLE_JOB_TOKEN, tokens.tokenFor(existingJobs.get(0)))
                        .replace(SAMPLE_JOB, existingJobs.get(0)).replace(SAMPLE_JOB_2, existingJobs.get(1)));
            }
        }
    }

    private static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static <T> T timed(String what, java.util.function.Supplier<T> step) {
        long started = System.nanoTime();
        T result = step.get();
        System.out.printf("SAM timing: %s took %.1f s%n", what, (System.nanoTime() - started) / 1e9);
        return result;
    }
}
