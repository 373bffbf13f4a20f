package dev.falgate.emulator;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator standalone until killed ({@code ./falgate fal-emulator [--port N]}).
 * <ul>
 *   <li>port: {@code --port N} or a bare number, else {@code FAL_EMULATOR_PORT}, else 8765;</li>
 *   <li>key: {@code FAL_EMULATOR_KEY}, else {@value FalEmulatorConfig#DEFAULT_API_KEY};</li>
 *   <li>speed: {@code FAL_EMULATOR_SPEED}, else {@value FalEmulatorConfig#DEFAULT_SPEED};</li>
 *   <li>concurrency limit: {@code FAL_EMULATOR_CONCURRENCY}, else none;</li>
 *   <li>result expiry: {@code FAL_EMULATOR_EXPIRE_RESULTS=true}, else off;</li>
 *   <li>faults: {@code FAL_EMULATOR_FAULTS}, JSON as {@code POST /_emulator/faults}.</li>
 * </ul>
 */
public final class Main {
    static final int DEFAULT_PORT = 8765;

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        FalEmulatorConfig config;
        try {
            config = config(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("fal emulator: " + e.getMessage());
            System.exit(2);
            return;
        }
        FalEmulator emulator = FalEmulator.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }));
        System.out.println("fal emulator listening on " + emulator.baseUrl()
                + " (JWKS " + emulator.jwksUrl() + ", speed " + config.speed() + "x, concurrency "
                + (config.concurrency() == FalEmulatorConfig.UNLIMITED ? "unlimited"
                        : config.concurrency())
                + ", faults " + config.faults().toJson().get("knobs") + ")");
        stopped.await();
    }

    static FalEmulatorConfig config(String[] args, Map<String, String> env) {
        String port = port(args, env);
        FalEmulatorConfig.Builder builder = FalEmulatorConfig.builder()
                .port(isSet(port) ? parseInt("port", port) : DEFAULT_PORT)
                .apiKey(env.getOrDefault("FAL_EMULATOR_KEY", "").isBlank()
                        ? FalEmulatorConfig.DEFAULT_API_KEY : env.get("FAL_EMULATOR_KEY"));
        if (isSet(env.get("FAL_EMULATOR_SPEED"))) {
            builder.speed(parseDouble("FAL_EMULATOR_SPEED", env.get("FAL_EMULATOR_SPEED")));
        }
        if (isSet(env.get("FAL_EMULATOR_CONCURRENCY"))) {
            builder.concurrency(parseInt("FAL_EMULATOR_CONCURRENCY",
                    env.get("FAL_EMULATOR_CONCURRENCY")));
        }
        if (isSet(env.get("FAL_EMULATOR_FAULTS"))) {
            builder.faults(env.get("FAL_EMULATOR_FAULTS"));
        }
        builder.expireResults(Boolean.parseBoolean(env.get("FAL_EMULATOR_EXPIRE_RESULTS")));
        return builder.build();
    }

    /** {@code --port N}, {@code --port=N} or a bare number; the environment otherwise. */
    private static String port(String[] args, Map<String, String> env) {
        if (args.length == 0) {
            return env.get("FAL_EMULATOR_PORT");
        }
        if (args.length == 2 && args[0].equals("--port")) {
            return args[1];
        }
        if (args.length == 1 && args[0].startsWith("--port=")) {
            return args[0].substring("--port=".length());
        }
        if (args.length == 1 && args[0].matches("\\d+")) {
            return args[0];
        }
        throw new IllegalArgumentException("unexpected arguments " + String.join(" ", args)
                + " (usage: [--port N])");
    }

    private static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer: " + value);
        }
    }

    private static double parseDouble(String name, String value) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number: " + value);
        }
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
