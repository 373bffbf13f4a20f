package dev.falgate.local;

import dev.falgate.auth.ApiKeyStore;
import dev.falgate.emulator.FalEmulatorConfig;
import dev.falgate.local.fal.EmbeddedFal;
import dev.falgate.local.fal.ExternalFal;
import dev.falgate.local.fal.RealFal;
import dev.falgate.local.template.TemplateCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * {@code ./falgate local}: the whole of falgate on this machine, on fixed ports, with its state
 * under {@code .falgate/} in the working directory (kept across restarts; {@code --fresh} wipes it).
 *
 * <pre>
 * options: --port N (else FALGATE_PORT, else 3000)   --fresh   --no-fal
 *          --template PATH (default ./template.yaml)  --base64-bodies ALWAYS|BINARY_ONLY|RANDOM[:seed]
 * env:     FALGATE_API_KEYS=tenant:key,tenant:key (else one key, generated once, kept in .falgate/api-keys)
 * </pre>
 */
public final class LocalMain {
    static final int DEFAULT_API_PORT = 3000;
    static final int DYNAMODB_PORT = 8000;
    static final int SQS_PORT = 9324;
    static final int S3_PORT = 9000;
    static final int FAL_PORT = 8765;
    static final String STATE_DIR = ".falgate";
    static final String API_KEYS_FILE = "api-keys";
    static final String DEFAULT_TENANT = "local";

    private LocalMain() {
    }

    public static void main(String[] args) {
        long startedAt = System.nanoTime();
        LocalStack stack;
        try {
            Options options = Options.parse(args, System.getenv());
            if (options.fresh()) {
                deleteRecursively(options.stateDir());
            }
            stack = LocalStack.start(options.toConfig());
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "falgate-local-stop"));
            System.out.println(Banner.text(stack, options, (System.nanoTime() - startedAt) / 1_000_000));
        } catch (IllegalArgumentException e) {
            System.err.println("falgate local: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        } catch (RuntimeException e) {
            System.err.println("falgate local could not start: " + e);
            e.printStackTrace();
            System.exit(1); // the emulators' non-daemon threads would otherwise keep the JVM up
            return;
        }
        awaitShutdown();
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
    record Options(int apiPort, boolean fresh, boolean fal, Path template, Path stateDir, Base64Bodies base64Bodies,
            long base64Seed, List<ApiKey> apiKeysFromEnv, Optional<java.net.URI> externalFal,
            Map<String, String> parameters) {

        static final String USAGE = "usage: ./falgate local [--port N] [--fresh] [--no-fal] [--template PATH]"
                + " [--base64-bodies ALWAYS|BINARY_ONLY|RANDOM[:seed]] [--fal-url URL] [--param Name=Value]...";

        static Options parse(String[] args, Map<String, String> env) {
            int port = Optional.ofNullable(env.get("FALGATE_PORT")).filter(s -> !s.isBlank()).map(Options::port)
                    .orElse(DEFAULT_API_PORT);
            boolean fresh = false;
            boolean fal = true;
            Path template = Path.of("template.yaml");
            Base64Bodies bodies = Base64Bodies.BINARY_ONLY;
            long seed = System.nanoTime();
            Optional<java.net.URI> externalFal = Optional.empty();
            Map<String, String> parameters = new java.util.LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--port" -> port = port(value(args, ++i));
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
            return new Options(port, fresh, fal, template, Path.of(STATE_DIR).toAbsolutePath(), bodies, seed,
                    ApiKey.parseList(env.get("FALGATE_API_KEYS")), externalFal, Map.copyOf(parameters));
        }

        /** The same options with another state directory (tests). */
        Options withStateDir(Path dir) {
            return new Options(apiPort, fresh, fal, template, dir, base64Bodies, base64Seed, apiKeysFromEnv,
                    externalFal, parameters);
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                throw new IllegalArgumentException(args[i - 1] + " needs a value");
            }
            return args[i];
        }

        private static int port(String text) {
            try {
                int port = Integer.parseInt(text.trim());
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
                return port;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a port: " + text);
            }
        }

        LocalStackConfig toConfig() {
            LocalStackConfig.Builder config = LocalStackConfig.builder(template)
                    .apiPort(apiPort).dynamoDbPort(DYNAMODB_PORT).sqsPort(SQS_PORT).s3Port(S3_PORT)
                    .stateDir(stateDir)
                    .apiKeys(apiKeys())
                    .parameterOverrides(parameters)
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
            String realKey = System.getenv("FAL_KEY");
            if (realKey != null && !realKey.isBlank()) {
                // the real fal: it cannot read the laptop's bucket nor call its webhook
                return config.fal(RealFal.starter(realKey.trim())).environmentOverrides(RealFal.ENVIRONMENT).build();
            }
            return config.fal(EmbeddedFal.starter(FalEmulatorConfig.builder().port(FAL_PORT).build())).build();
        }

        /** FALGATE_API_KEYS if set; else the key kept in .falgate/api-keys, generated on the first run. */
        List<ApiKey> apiKeys() {
            if (!apiKeysFromEnv.isEmpty()) {
                return apiKeysFromEnv;
            }
            Path file = stateDir.resolve(API_KEYS_FILE);
            try {
                if (!Files.exists(file)) {
                    Files.createDirectories(stateDir);
                    Files.writeString(file, new ApiKey(DEFAULT_TENANT, ApiKeyStore.newRawKey()).asSpec() + "\n");
                }
                return ApiKey.parseList(String.join(",", Files.readAllLines(file)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot keep the API key in " + file, e);
            }
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
