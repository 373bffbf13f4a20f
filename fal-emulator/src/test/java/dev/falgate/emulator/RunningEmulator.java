package dev.falgate.emulator;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An emulator with a local input server and a test client for one test class:
 * {@code @RegisterExtension static final RunningEmulator running = RunningEmulator.with(config);}
 * starts them before the class's tests and stops them after.
 */
public final class RunningEmulator implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    private final FalEmulatorConfig config;
    private InputServer inputs;
    private FalEmulator emulator;
    private FalTestClient fal;

    private RunningEmulator(FalEmulatorConfig config) {
        this.config = config;
    }

    public static RunningEmulator with(FalEmulatorConfig config) {
        return new RunningEmulator(config);
    }

    /** Started at once, for a test that needs its own emulator (close it). */
    public static RunningEmulator start(FalEmulatorConfig config) {
        RunningEmulator running = new RunningEmulator(config);
        running.beforeAll(null);
        return running;
    }

    @Override
    public void close() {
        afterAll(null);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        inputs = new InputServer();
        emulator = FalEmulator.start(config);
        fal = new FalTestClient(emulator);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        emulator.close();
        inputs.close();
    }

    public InputServer inputs() {
        return inputs;
    }

    public FalEmulator emulator() {
        return emulator;
    }

    public FalTestClient fal() {
        return fal;
    }
}
