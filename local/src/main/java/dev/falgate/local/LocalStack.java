package dev.falgate.local;

import dev.falgate.auth.ApiKeyStore;
import dev.falgate.local.emulators.DynamoDbEmulator;
import dev.falgate.local.emulators.PortInUseException;
import dev.falgate.local.emulators.S3Emulator;
import dev.falgate.local.emulators.SecretsManagerStandIn;
import dev.falgate.local.emulators.SqsEmulator;
import dev.falgate.local.fal.FalBackend;
import dev.falgate.local.runtime.FunctionRuntime;
import dev.falgate.local.runtime.HttpFront;
import dev.falgate.local.runtime.Provisioner;
import dev.falgate.local.runtime.ScheduleEventSource;
import dev.falgate.local.runtime.SqsEventSource;
import dev.falgate.local.template.ScheduleEventDef;
import dev.falgate.local.runtime.Threads;
import dev.falgate.local.template.FunctionDef;
import dev.falgate.local.template.SqsEventDef;
import dev.falgate.local.template.StackContext;
import dev.falgate.local.template.TemplateModel;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * falgate without an AWS account: DynamoDB Local, ElasticMQ, S3Proxy and (optionally) the fal
 * emulator in this JVM, the template's resources created in them, every function of
 * template.yaml instantiated once, an HTTP front playing API Gateway and pollers playing the SQS
 * event source mappings. Close it to stop everything (the emulators' threads are not daemons).
 */
public final class LocalStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
    /** FAL_KEY when fal is off: handlers read it instead of asking Secrets Manager (not emulated). */
    static final String FAL_OFF_KEY = "fal-is-off-locally";

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final LocalStackConfig config;
    private TemplateModel template;
    private Endpoints endpoints;
    private DynamoDbClient dynamoDb;
    private SqsClient sqs;
    private S3Client s3;
    private SecretsManagerStandIn secretsManager;
    private String falKey;
    private Optional<FalBackend> fal = Optional.empty();
    private final Map<String, FunctionRuntime> functions = new HashMap<>();
    private final Map<String, Map<String, String>> environments = new HashMap<>();

    private LocalStack(LocalStackConfig config) {
        this.config = config;
    }

    /** Starts everything, or nothing: a failure stops what had started and rethrows. */
    public static LocalStack start(LocalStackConfig config) {
        LocalStack stack = new LocalStack(config);
        long started = System.nanoTime();
        try {
            stack.startAll();
            LOG.info("local stack of {} started in {} ms: {}", config.template().getFileName(),
                    (System.nanoTime() - started) / 1_000_000, stack.endpoints());
            return stack;
        } catch (RuntimeException | Error e) {
            try {
                stack.close();
            } catch (RuntimeException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    private void startAll() {
        config.stateDir().ifPresent(StateFiles::ownerOnlyDirectory);
        TemplateModel declared = TemplateModel.load(config.template(),
                StackContext.local(URI.create("http://127.0.0.1:" + config.sqsPort()), config.parameterOverrides()));
        Emulators emulators = startEmulators(declared);
        template = declared.withContext(declared.context()
                .withSqsEndpoint(emulators.sqs.endpoint())
                .withParameterOverrides(parameterOverrides(declared, emulators.fal)));
        dynamoDb = own(LocalAws.dynamoDb(emulators.dynamoDb.endpoint()));
        sqs = own(LocalAws.sqs(emulators.sqs.endpoint()));
        s3 = own(LocalAws.s3(emulators.s3.endpoint()));
        new Provisioner(template, dynamoDb, sqs, s3).visibilityTimeoutCap(config.visibilityTimeoutCap()).provisionAll();
        registerApiKeys();
        fal = emulators.fal;
        falKey = fal.map(FalBackend::apiKey).orElse(FAL_OFF_KEY);
        Map<String, String> localKeys = LocalEnvironment.localKeys(emulators.dynamoDb.endpoint(),
                emulators.sqs.endpoint(), emulators.s3.endpoint(), emulators.fal, falKey,
                StateFiles.cursorSecret(config.stateDir()), StateFiles.webhookSecret(config.stateDir()));
        createFunctions(localKeys);
        // for functions in sam local containers; the in-JVM handlers keep the direct values
        secretsManager = own(SecretsManagerStandIn.start(0, SamEnvironment.secretsById(template.functions(), localKeys),
                LocalAws.REGION, LocalAws.ACCOUNT_ID));
        HttpFront front = own(startFront());
        endpoints = new Endpoints(URI.create("http://localhost:" + front.port()), emulators.dynamoDb.endpoint(),
                emulators.sqs.endpoint(), emulators.s3.endpoint(), emulators.fal.map(FalBackend::baseUrl));
        startEventSources(emulators.sqs.endpoint());
    }

    private HttpFront startFront() {
        try {
            return HttpFront.start(config.apiBindAddress(), config.apiPort(), List.copyOf(functions.values()),
                    LocalAws.ACCOUNT_ID, config.base64Bodies(), config.base64Seed(), template.httpApiCors());
        } catch (java.io.UncheckedIOException e) {
            throw PortInUseException.startFailure("the API", config.apiPort(), e);
        }
    }

    /** Each handler once, through its (Map env) constructor, as a warm Lambda execution environment. */
    private void createFunctions(Map<String, String> localKeys) {
        ExecutorService workers = Executors.newFixedThreadPool(config.concurrency(), Threads.daemons("falgate-lambda-"));
        started.push(workers::shutdownNow);
        for (FunctionDef function : template.functions()) {
            Map<String, String> env = LocalEnvironment.forFunction(function, localKeys, config.environmentOverrides());
            environments.put(function.logicalId(), env);
            String arn = "arn:aws:lambda:" + LocalAws.REGION + ":" + LocalAws.ACCOUNT_ID + ":function:"
                    + function.functionName();
            functions.put(function.logicalId(), FunctionRuntime.create(function, arn, env, workers));
        }
    }

    private record Emulators(DynamoDbEmulator dynamoDb, SqsEmulator sqs, S3Emulator s3, Optional<FalBackend> fal) {
    }

    /** In parallel: each takes most of a second, mostly class loading. */
    private Emulators startEmulators(TemplateModel declared) {
        Optional<Path> state = config.stateDir();
        ExecutorService starters = Executors.newFixedThreadPool(4, Threads.daemons("falgate-start-"));
        try {
            var dynamo = async(starters, () -> DynamoDbEmulator.start(config.dynamoDbPort(),
                    state.map(s -> s.resolve("dynamodb")).orElse(null)));
            var queues = async(starters, () -> SqsEmulator.start(config.sqsPort(),
                    state.map(s -> s.resolve("sqs")).orElse(null), LocalAws.REGION, LocalAws.ACCOUNT_ID));
            var blobs = async(starters, () -> S3Emulator.start(config.s3Port(),
                    state.map(s -> s.resolve("s3")).orElse(null), LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY,
                    LocalEnvironment.s3CorsRules(declared, config.apiPort())));
            var fal = async(starters, () -> config.fal().map(FalBackend.Starter::start));
            joinAll(List.of(dynamo, queues, blobs, fal));
            return new Emulators(dynamo.join(), queues.join(), blobs.join(), fal.join());
        } finally {
            starters.shutdown();
        }
    }

    /** Waits for every start (so each one that succeeded is owned and closed), then throws the first failure. */
    private static void joinAll(List<CompletableFuture<?>> starts) {
        RuntimeException failure = null;
        for (CompletableFuture<?> start : starts) {
            try {
                start.join();
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private <T> CompletableFuture<T> async(ExecutorService executor, Supplier<T> start) {
        return CompletableFuture.supplyAsync(start, executor).thenApply(value -> {
            Object resource = value instanceof Optional<?> optional ? optional.orElse(null) : value;
            if (resource instanceof AutoCloseable closeable) {
                own(closeable);
            }
            return value;
        });
    }

    private synchronized <T extends AutoCloseable> T own(T resource) {
        started.push(resource);
        return resource;
    }

    /** The fal emulator's URLs replace the real fal's, unless the caller chose others. */
    private Map<String, String> parameterOverrides(TemplateModel declared, Optional<FalBackend> fal) {
        Map<String, String> overrides = new HashMap<>();
        fal.ifPresent(f -> {
            overrides.put("FalQueueBaseUrl", f.baseUrl().toString());
            overrides.put("FalJwksUrl", f.jwksUrl().toString());
        });
        overrides.keySet().retainAll(declared.parameters().keySet());
        overrides.putAll(config.parameterOverrides());
        return overrides;
    }

    private void registerApiKeys() {
        if (config.apiKeys().isEmpty()) {
            return;
        }
        ApiKeyStore keys = new ApiKeyStore(dynamoDb, jobsTable().orElseThrow(
                () -> new IllegalStateException("API keys need a function with a JOBS_TABLE")));
        config.apiKeys().forEach(k -> keys.put(k.tenant(), k.rawKey()));
    }

    /** The table the functions know as {@code JOBS_TABLE}, where falgate keeps API keys too. */
    public Optional<String> jobsTable() {
        return template.functions().stream().map(f -> f.environment().get("JOBS_TABLE"))
                .filter(t -> t != null && !t.isBlank()).findFirst();
    }

    public LocalStackConfig config() {
        return config;
    }

    private void startEventSources(URI sqsEndpoint) {
        double timeScale = fal.map(FalBackend::timeScale).orElse(1.0);
        SqsClient pollerSqs = own(LocalAws.sqsPoller(sqsEndpoint));
        for (FunctionRuntime function : functions.values()) {
            for (SqsEventDef event : function.function().sqsEvents()) {
                own(SqsEventSource.start(event, template.queueUrl(event.queueLogicalId()), LocalAws.REGION, pollerSqs,
                        function));
            }
            for (ScheduleEventDef event : function.function().schedules()) {
                own(ScheduleEventSource.start(event, function, LocalAws.REGION, timeScale));
            }
        }
    }

    // ---- what callers (LocalMain, tests) see

    public Endpoints endpoints() {
        return endpoints;
    }

    /** Secrets Manager's GetSecretValue for the functions' secrets (what sam local containers use). */
    public URI secretsManagerEndpoint() {
        return secretsManager.endpoint();
    }

    public URI apiUrl() {
        return endpoints.api();
    }

    public TemplateModel template() {
        return template;
    }

    /** The environment a function's handler was created with. */
    public Map<String, String> environment(String functionLogicalId) {
        return environments.get(functionLogicalId);
    }

    public String falKey() {
        return falKey;
    }

    /** The fal the handlers use, if on (an {@code EmbeddedFal} gives access to the emulator). */
    public Optional<FalBackend> fal() {
        return fal;
    }

    /** Clients with the local credentials, owned by the stack (do not close them). */
    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    public SqsClient sqs() {
        return sqs;
    }

    public S3Client s3() {
        return s3;
    }

    public String queueUrl(String logicalId) {
        return template.queueUrl(logicalId);
    }

    /** Stops the pollers first (no half-handled batch), then the front, the workers and the emulators. */
    @Override
    public synchronized void close() {
        List<Exception> failures = new ArrayList<>();
        while (!started.isEmpty()) {
            AutoCloseable next = started.pop();
            long begin = System.nanoTime();
            try {
                next.close();
            } catch (Exception e) {
                failures.add(e);
            }
            LOG.debug("closed {} in {} ms", next, (System.nanoTime() - begin) / 1_000_000);
        }
        if (!failures.isEmpty()) {
            RuntimeException failure = new IllegalStateException("the local stack did not stop cleanly");
            failures.forEach(failure::addSuppressed);
            LOG.warn("stop failures", failure);
            throw failure;
        }
    }
}
