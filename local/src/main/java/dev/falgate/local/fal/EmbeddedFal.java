package dev.falgate.local.fal;

import dev.falgate.emulator.FalEmulator;
import dev.falgate.emulator.FalEmulatorConfig;
import dev.falgate.local.emulators.PortInUseException;
import java.net.URI;

/** The fal emulator in this JVM as the stack's fal. */
public final class EmbeddedFal implements FalBackend {
    private final FalEmulator emulator;
    private final double speed;
    private final boolean owned;

    private EmbeddedFal(FalEmulator emulator, double speed, boolean owned) {
        this.emulator = emulator;
        this.speed = speed;
        this.owned = owned;
    }

    public static FalBackend.Starter starter(FalEmulatorConfig config) {
        return () -> {
            try {
                return new EmbeddedFal(FalEmulator.start(config), config.speed(), true);
            } catch (java.io.UncheckedIOException e) {
                throw PortInUseException.startFailure("the fal emulator", config.port(), e);
            }
        };
    }

    /**
     * An emulator the caller started and keeps (tests and benchmarks read its stats after the
     * stack is gone): the stack uses it but does not close it.
     */
    public static FalBackend.Starter borrowing(FalEmulator emulator, double speed) {
        return () -> new EmbeddedFal(emulator, speed, false);
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
        if (owned) {
            emulator.close();
        }
    }
}
