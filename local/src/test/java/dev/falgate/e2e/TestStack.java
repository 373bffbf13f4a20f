package dev.falgate.e2e;

import dev.falgate.emulator.FalEmulator;
import dev.falgate.emulator.FalEmulatorConfig;
import dev.falgate.local.ApiKey;
import dev.falgate.local.Base64Bodies;
import dev.falgate.local.LocalStack;
import dev.falgate.local.LocalStackConfig;
import dev.falgate.local.fal.EmbeddedFal;
import dev.falgate.local.fal.FalBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One embedded stack for all end-to-end tests of this JVM: in memory, random loopback ports,
 * the fal emulator at high speed, two tenants, request bodies base64-encoded at random as
 * API Gateway may send them. Started on first use, stopped when the JVM exits.
 */
public final class TestStack {
    public static final String ACME_KEY = "fg_e2e_acme_0123456789abcdef0123456789abcdef";
    static final String GLOBEX_KEY = "fg_e2e_globex_0123456789abcdef0123456789abcde";
    /** SchemathesisTest's tenant: its fuzzed jobs stay out of the other tenants' lists. */
    static final String FUZZ_KEY = "fg_e2e_fuzz_0123456789abcdef0123456789abcdef01";
    static final double FAL_SPEED = 40;
    /** A name the stack's URL fetcher resolves to 127.0.0.1 (a test-only setting, off by default). */
    static final String FIXTURE_HOST = "fixtures.test";
    static final Duration URL_INPUT_BUDGET = Duration.ofSeconds(3);

    private static TestStack instance;

    final FalEmulator fal;
    final LocalStack stack;
    public final Api api;

    private TestStack() {
        fal = FalEmulator.start(FalEmulatorConfig.builder().port(0).speed(FAL_SPEED)
                .webhookRetryDelays(List.of(Duration.ofMillis(200), Duration.ofMillis(500))).build());
        stack = LocalStack.start(LocalStackConfig.builder(repoRoot().resolve("template.yaml"))
                .apiKeys(List.of(new ApiKey("acme", ACME_KEY), new ApiKey("globex", GLOBEX_KEY), new ApiKey("fuzz", FUZZ_KEY)))
                .fal(backend(fal))
                // the URL fetcher may reach the loopback fixture under this name, and nothing else local
                .environmentOverrides(java.util.Map.of("FALGATE_FETCH_LOOPBACK_HOSTS", FIXTURE_HOST,
                        // URL inputs share this much time (10 s on AWS), so UrlInputTest's slow URL is quick to run out
                        "FALGATE_FETCH_BUDGET_MS", String.valueOf(URL_INPUT_BUDGET.toMillis()),
                        // results of several files (Era3D's views, meshes) go to S3, single images stay in the item
                        "FALGATE_RESULT_INLINE_MAX_CHARS", "1024"))
                .base64Bodies(Base64Bodies.RANDOM, 42)
                .build());
        api = new Api(stack.apiUrl());
    }

    public static synchronized TestStack get() {
        if (instance == null) {
            instance = new TestStack();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::close));
        }
        return instance;
    }

    public software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamoDb() {
        return stack.dynamoDb();
    }

    public String jobsTable() {
        return stack.jobsTable().orElseThrow();
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("falgate.repo.root", "..")).toAbsolutePath().normalize();
    }

    private void close() {
        stack.close();
        fal.close();
    }

    /** The emulator as a stack's fal; the stack must not close it (tests still read its stats). */
    static FalBackend.Starter backend(FalEmulator fal) {
        return EmbeddedFal.borrowing(fal, FAL_SPEED);
    }
}
