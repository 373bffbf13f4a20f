package dev.falgate.local.fal;

import dev.falgate.emulator.FalEmulator;
import dev.falgate.emulator.FalEmulatorConfig;
import java.net.URI;

/** The fal emulator in this JVM as the stack's fal. */
public final class EmbeddedFal implements FalBackend {
    private final FalEmulator emulator;
    private final double speed;

    private EmbeddedFal(FalEmulator emulator, double speed) {
        this.emulator = emulator;
        this.speed = speed;
    }

    public static FalBackend.Starter starter(FalEmulatorConfig config) {
        return () -> new EmbeddedFal(FalEmulator.start(config), config.speed());
    }

    /** For stats and switches ({@code setDropWebhooks}, {@code setSpeed}). */
    public FalEmulator emulator() {
        return emulator;
    }

    @Override
    public URI baseUrl() {
        return emulator.baseUrl();
    }

    @Override
    public URI jwksUrl() {
        return emulator.jwksUrl();
    }

    @Override
    public String apiKey() {
        return emulator.apiKey();
    }

    @Override
    public double timeScale() {
        return speed;
    }

    @Override
    public void close() {
        emulator.close();
    }
}
