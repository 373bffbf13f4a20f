package dev.falgate.local;

import dev.falgate.auth.ApiKeyStore;
import dev.falgate.emulator.FalEmulatorConfig;
import dev.falgate.local.emulators.PortInUseException;
import dev.falgate.local.fal.EmbeddedFal;
import dev.falgate.local.fal.ExternalFal;
import dev.falgate.local.fal.RealFal;
import dev.falgate.local.template.TemplateCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * {@code ./falgate local}: the whole of falgate on this machine, every listener on 127.0.0.1, with
 * its state under {@code .falgate/} in the working directory (kept across restarts; {@code --fresh}
 * wipes it; readable by its owner only).
 *
 * <pre>
 * options: --port N (else FALGATE_PORT, else 3000)   --fresh   --no-fal
 *          --dynamodb-port N, --sqs-port N, --s3-port N, --fal-port N (else FALGATE_DYNAMODB_PORT, ...;
 *          defaults 8000, 9324, 9000, 8765; 0 picks a free one)
 *          --template PATH (default ./template.yaml)  --base64-bodies ALWAYS|BINARY_ONLY|RANDOM[:seed]
 * env:     FALGATE_API_KEYS=tenant:key,tenant:key (else one key, generated once, kept in .falgate/api-keys)
 * </pre>
 */
public final class LocalMain {
    static final String STATE_DIR = ".falgate";
    static final String API_KEYS_FILE = "api-keys";
    static final String DEFAULT_TENANT = "local";

    /** The five listeners whose ports a user can choose, each by a flag and an environment variable. */
    enum Listener {
        API("the API", "--port", "FALGATE_PORT", 3000),
        DYNAMODB("DynamoDB Local", "--dynamodb-port", "FALGATE_DYNAMODB_PORT", 8000),
        SQS("ElasticMQ (SQS)", "--sqs-port", "FALGATE_SQS_PORT", 9324),
        S3("S3Proxy (S3)", "--s3-port", "FALGATE_S3_PORT", 9000),
        FAL("the fal emulator", "--fal-port", "FALGATE_FAL_PORT", 8765);

        final String description;
        final String flag;
        final String variable;
        final int defaultPort;

        Listener(String description, String flag, String variable, int defaultPort) {
            this.description = description;
            this.flag = flag;
            this.variable = variable;
            this.defaultPort = defaultPort;
        }

        static Optional<Listener> byFlag(String flag) {
            return Arrays.stream(values()).filter(l -> l.flag.equals(flag)).findFirst();
        }
    }

    private LocalMain() {
    }

    public static void main(String[] args) {
        long startedAt = System.nanoTime();
        Options options;
        LocalStack stack;
        try {
            options = Options.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("falgate local: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        try {
            stack = start(options);
        } catch (PortInUseException e) {
            System.err.println("falgate local: " + e.getMessage() + ". " + options.howToMoveFrom(e.port()));
            System.exit(1); // the emulators' non-daemon threads would otherwise keep the JVM up
            return;
        } catch (RuntimeException e) {
            System.err.println("falgate local could not start: " + e);
            e.printStackTrace();
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            System.out.println("falgate local stopped.");
        }, "falgate-local-stop"));
        System.out.println(Banner.text(stack, options, (System.nanoTime() - startedAt) / 1_000_000));
        awaitShutdown();
    }

    /** What {@code main} runs before waiting for Ctrl-C: the stack of these options, started. */
    static LocalStack start(Options options) {
        options.checkPortsFree(); // first: a start that cannot happen keeps the state --fresh would wipe
        if (options.fresh()) {
            deleteRecursively(options.stateDir());
        }
        LocalStack stack = LocalStack.start(options.toConfig());
        SamEnvironment.write(stack, samEnvFile(options), SamEnvironment.DEFAULT_CONTAINER_HOST);
        return stack;
    }

    /** {@code .falgate/sam-env.json}: rewritten on every start, since the Secrets Manager stand-in's port is free-chosen. */
    static Path samEnvFile(Options options) {
        return options.stateDir().resolve(SamEnvironment.FILE_NAME);
    }

    /** Runs until Ctrl-C: the shutdown hook stops the stack. */
    private static void awaitShutdown() {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The command line and environment, read once. */
    record Options(Map<Listener, Integer> ports, boolean fresh, boolean fal, Path template, Path stateDir,
            Base64Bodies base64Bodies, long base64Seed, List<ApiKey> apiKeysFromEnv,
            Optional<java.net.URI> externalFal, Map<String, String> parameters) {

        static final String USAGE = "usage: ./falgate local [--port N] [--dynamodb-port N] [--sqs-port N] [--s3-port N]"
                + " [--fal-port N] [--fresh] [--no-fal] [--template PATH]"
                + " [--base64-bodies ALWAYS|BINARY_ONLY|RANDOM[:seed]] [--fal-url URL] [--param Name=Value]...";

        static Options parse(String[] args, Map<String, String> env) {
            Map<Listener, Integer> ports = new EnumMap<>(Listener.class);
            for (Listener listener : Listener.values()) {
                ports.put(listener, Optional.ofNullable(env.get(listener.variable)).filter(s -> !s.isBlank())
                        .map(text -> port(text, listener.variable)).orElse(listener.defaultPort));
            }
            boolean fresh = false;
            boolean fal = true;
            Path template = Path.of("template.yaml");
            Base64Bodies bodies = Base64Bodies.BINARY_ONLY;
            long seed = System.nanoTime();
            Optional<java.net.URI> externalFal = Optional.empty();
            Map<String, String> parameters = new java.util.LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                Optional<Listener> portFlag = Listener.byFlag(args[i]);
                if (portFlag.isPresent()) {
                    ports.put(portFlag.get(), port(value(args, ++i), args[i - 1]));
                    continue;
                }
                switch (args[i]) {
                    case "--fresh" -> fresh = true;
                    case "--no-fal" -> fal = false;
                    case "--template" -> template = Path.of(value(args, ++i));
                    case "--base64-bodies" -> {
                        String[] modeSeed = value(args, ++i).split(":", 2);
                        bodies = Base64Bodies.valueOf(modeSeed[0].toUpperCase(Locale.ROOT));
                        seed = modeSeed.length > 1 ? Long.parseLong(modeSeed[1]) : seed;
                    }
                    // a fal emulator in another process (key FAL_EMULATOR_KEY, speed FAL_EMULATOR_SPEED)
                    case "--fal-url" -> externalFal = Optional.of(java.net.URI.create(value(args, ++i)));
                    case "--param" -> {
                        String[] nameValue = value(args, ++i).split("=", 2);
                        if (nameValue.length != 2) {
                            throw new IllegalArgumentException("--param takes Name=Value");
                        }
                        parameters.put(nameValue[0], nameValue[1]);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (!Files.isRegularFile(template)) {
                throw new IllegalArgumentException(template.toAbsolutePath() + " not found: run from the repo root");
            }
            rejectSharedPorts(ports);
            return new Options(Collections.unmodifiableMap(ports), fresh, fal, template,
                    Path.of(STATE_DIR).toAbsolutePath(), bodies, seed, ApiKey.parseList(env.get("FALGATE_API_KEYS")),
                    externalFal, Map.copyOf(parameters));
        }

        int apiPort() {
            return ports.get(Listener.API);
        }

        int port(Listener listener) {
            return ports.get(listener);
        }

        private static void rejectSharedPorts(Map<Listener, Integer> ports) {
            Map<Integer, Listener> owners = new HashMap<>();
            ports.forEach((listener, port) -> {
                Listener other = port == 0 ? null : owners.putIfAbsent(port, listener);
                if (other != null) {
                    throw new IllegalArgumentException("port " + port + " is given to both " + other.description
                            + " and " + listener.description + "; change " + listener.flag + " or " + listener.variable);
                }
            });
        }

        /**
         * Fails at once, before minutes of starting, when a chosen port is taken (the listeners
         * bind 127.0.0.1; a socket on every interface takes that port too).
         */
        void checkPortsFree() {
            ports.forEach((listener, port) -> {
                if (listener == Listener.FAL && !runsFalEmulator()) {
                    return;
                }
                if (port != 0 && !Ports.isFree(port)) {
                    throw new PortInUseException(listener.description, port, null);
                }
            });
        }

        /** The sentence that tells how to move whichever listener wanted {@code port}. */
        String howToMoveFrom(int port) {
            return ports.entrySet().stream().filter(e -> e.getValue() == port).findFirst()
                    .map(e -> "Stop what holds it, or choose another port with " + e.getKey().flag + " N or "
                            + e.getKey().variable + "=N.")
                    .orElse("Stop what holds it.");
        }

        /** The same options with another state directory (tests). */
        Options withStateDir(Path dir) {
            return new Options(ports, fresh, fal, template, dir, base64Bodies, base64Seed, apiKeysFromEnv,
                    externalFal, parameters);
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                throw new IllegalArgumentException(args[i - 1] + " needs a value");
            }
            return args[i];
        }

        private static int port(String text, String source) {
            try {
                int port = Integer.parseInt(text.trim());
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
                return port;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(source + ": not a port: " + text);
            }
        }

        LocalStackConfig toConfig() {
            LocalStackConfig.Builder config = LocalStackConfig.builder(template)
                    .apiPort(apiPort()).dynamoDbPort(port(Listener.DYNAMODB)).sqsPort(port(Listener.SQS))
                    .s3Port(port(Listener.S3))
                    .stateDir(stateDir)
                    .apiKeys(apiKeys())
                    .parameterOverrides(parameters)
                    .environmentOverrides(testHook())
                    .visibilityTimeoutCap(visibilityTimeoutCap())
                    .base64Bodies(base64Bodies, base64Seed);
            if (!fal) {
                return config.build();
            }
            if (externalFal.isPresent()) {
                Map<String, String> env = System.getenv();
                return config.fal(ExternalFal.starter(externalFal.get(),
                        env.getOrDefault("FAL_EMULATOR_KEY", FalEmulatorConfig.DEFAULT_API_KEY),
                        Double.parseDouble(env.getOrDefault("FAL_EMULATOR_SPEED", Double.toString(FalEmulatorConfig.DEFAULT_SPEED)))))
                        .build();
            }
            if (realFalKey().isPresent()) {
                // the real fal: it cannot read the laptop's bucket nor call its webhook
                Map<String, String> overrides = new java.util.HashMap<>(RealFal.ENVIRONMENT);
                overrides.putAll(testHook());
                return config.fal(RealFal.starter(realFalKey().get())).environmentOverrides(overrides).build();
            }
            return config.fal(EmbeddedFal.starter(FalEmulatorConfig.builder().port(port(Listener.FAL)).build())).build();
        }

        /** A crash test's named halt point ({@code FALGATE_TEST_HOOK}), handed to the functions as is. */
        private static Map<String, String> testHook() {
            String hook = System.getenv(dev.falgate.config.TestHooks.VARIABLE);
            return hook == null || hook.isBlank() ? Map.of() : Map.of(dev.falgate.config.TestHooks.VARIABLE, hook);
        }

        /**
         * {@code FALGATE_LOCAL_VISIBILITY_TIMEOUT} (seconds): caps every queue's visibility here, so a
         * test sees a crashed consumer's message again at once without a parameter a deploy refuses.
         */
        private static Integer visibilityTimeoutCap() {
            String seconds = System.getenv("FALGATE_LOCAL_VISIBILITY_TIMEOUT");
            return seconds == null || seconds.isBlank() ? null : Integer.valueOf(seconds.trim());
        }

        /** Whether this process runs the fal emulator (and so listens on the fal port). */
        boolean runsFalEmulator() {
            return fal && externalFal.isEmpty() && realFalKey().isEmpty();
        }

        private static Optional<String> realFalKey() {
            return Optional.ofNullable(System.getenv("FAL_KEY")).map(String::trim).filter(k -> !k.isEmpty());
        }

        /** FALGATE_API_KEYS if set; else the key kept in .falgate/api-keys, generated on the first run. */
        List<ApiKey> apiKeys() {
            if (!apiKeysFromEnv.isEmpty()) {
                return apiKeysFromEnv;
            }
            Path file = stateDir.resolve(API_KEYS_FILE);
            if (!Files.exists(file)) {
                StateFiles.writeSecret(file, new ApiKey(DEFAULT_TENANT, ApiKeyStore.newRawKey()).asSpec() + "\n");
            }
            return ApiKey.parseList(String.join(",", StateFiles.readSecret(file).lines().toList()));
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot wipe " + dir, e);
        }
    }

    /** What a developer needs: where things are and how to look inside them. */
    static final class Banner {
        private Banner() {
        }

        static String text(LocalStack stack, Options options, long startMillis) {
            Endpoints e = stack.endpoints();
            String table = stack.jobsTable().orElse("<table>");
            StringBuilder out = new StringBuilder();
            out.append("\nfalgate local is running (started in ").append(startMillis).append(" ms)\n");
            line(out, "API", e.api() + "   (web page: " + e.api() + "/)");
            for (ApiKey key : stack.config().apiKeys()) {
                line(out, "API key", key.tenant() + ": " + key.rawKey());
                line(out, "", "curl -H 'Authorization: Bearer " + key.rawKey() + "' " + e.api() + "/v1/models");
            }
            line(out, "DynamoDB", e.dynamoDb().toString());
            line(out, "", LocalAws.cliPrefix(e.dynamoDb()) + " dynamodb scan --table-name " + table);
            line(out, "SQS", e.sqs().toString());
            for (var queue : stack.template().queues()) {
                line(out, "", LocalAws.cliPrefix(e.sqs()) + " sqs get-queue-attributes --attribute-names All"
                        + " --queue-url " + stack.queueUrl(queue.logicalId()));
            }
            line(out, "S3", e.s3().toString());
            for (var bucket : stack.template().buckets()) {
                line(out, "", LocalAws.cliPrefix(e.s3()) + " s3 ls --recursive s3://" + bucket.bucketName());
            }
            line(out, "fal", e.fal().map(LocalMain::describeFal).orElse("off (--no-fal)"));
            line(out, "state", options.stateDir() + "   (--fresh wipes it)");
            List<String> sam = SamEnvironment.usage(samEnvFile(options));
            for (int i = 0; i < sam.size(); i++) {
                line(out, i == 0 ? "sam local" : "", sam.get(i));
            }
            line(out, "webhooks", "partner webhooks may target http://127.0.0.1 and http://localhost here ("
                    + LocalEnvironment.WEBHOOK_ALLOW_LOOPBACK + "=true); a deployed stack admits public https:// only");
            List<String> problems = TemplateCheck.run(stack.template(), CodeExpectations.falgate());
            line(out, "check", problems.isEmpty() ? "template.yaml matches the handlers' routes and the table keys"
                    : problems.size() + " mismatch(es) between template.yaml and the code:");
            problems.forEach(p -> line(out, "", "- " + p));
            out.append("Ctrl-C stops.\n");
            return out.toString();
        }

        private static void line(StringBuilder out, String label, String value) {
            out.append(String.format("  %-9s %s%n", label, value));
        }
    }

    private static String describeFal(java.net.URI fal) {
        if (fal.equals(RealFal.QUEUE)) {
            return fal + "   (the real fal, FAL_KEY set: inputs go through fal storage, no webhooks, the poller finishes jobs)";
        }
        return fal + "   (emulator; stats: " + fal + "/_emulator/stats)";
    }
}
