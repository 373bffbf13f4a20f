package dev.falgate.emulator;

/** An emulator with a local input server and a test client, started and stopped together. */
final class RunningEmulator implements AutoCloseable {
    final InputServer inputs;
    final FalEmulator emulator;
    final FalTestClient fal;

    private RunningEmulator(FalEmulatorConfig config) {
        inputs = new InputServer();
        emulator = FalEmulator.start(config);
        fal = new FalTestClient(emulator);
    }

    static RunningEmulator start(FalEmulatorConfig config) {
        return new RunningEmulator(config);
    }

    @Override
    public void close() {
        emulator.close();
        inputs.close();
    }
}
