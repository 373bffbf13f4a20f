package dev.falgate.emulator;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator standalone until killed.
 * Port: first argument, else {@code FAL_EMULATOR_PORT}, else 8765. Key: {@code FAL_EMULATOR_KEY},
 * else {@value FalEmulatorConfig#DEFAULT_API_KEY}. Speed: {@code FAL_EMULATOR_SPEED}, else
 * {@value FalEmulatorConfig#DEFAULT_SPEED}.
 */
public final class Main {
    static final int DEFAULT_PORT = 8765;

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        FalEmulatorConfig config = config(args, System.getenv());
        FalEmulator emulator = FalEmulator.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }));
        System.out.println("fal emulator listening on " + emulator.baseUrl()
                + " (JWKS " + emulator.jwksUrl() + ", speed " + config.speed() + "x)");
        stopped.await();
    }

    static FalEmulatorConfig config(String[] args, Map<String, String> env) {
        String port = args.length > 0 ? args[0] : env.get("FAL_EMULATOR_PORT");
        String speed = env.get("FAL_EMULATOR_SPEED");
        return FalEmulatorConfig.builder()
                .port(isSet(port) ? Integer.parseInt(port.trim()) : DEFAULT_PORT)
                .apiKey(isSet(env.get("FAL_EMULATOR_KEY"))
                        ? env.get("FAL_EMULATOR_KEY") : FalEmulatorConfig.DEFAULT_API_KEY)
                .speed(isSet(speed) ? Double.parseDouble(speed.trim())
                        : FalEmulatorConfig.DEFAULT_SPEED)
                .build();
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
