package dev.falgate.e2e;

import dev.falgate.emulator.FalEmulatorConfig;
import org.junit.jupiter.api.AfterEach;

/**
 * A test on the JVM's shared embedded stack ({@link TestStack}): whatever a test did to the
 * emulator's pace (speed, concurrency) is put back afterwards, so the next test starts as usual.
 */
abstract class SharedStackTest {
    protected final TestStack t = TestStack.get();
    protected final Api api = t.api;
    protected final PipelineTest flows = new PipelineTest();

    @AfterEach
    void emulatorAtFullPace() {
        t.fal.setSpeed(TestStack.FAL_SPEED);
        t.fal.setConcurrency(FalEmulatorConfig.UNLIMITED);
    }
}
