package dev.falgate.emulator.faults;

import dev.falgate.emulator.queue.FalRequest;
import dev.falgate.emulator.queue.Outcome;
import dev.falgate.emulator.queue.RequestQueue;

/**
 * Puts the {@code infrastructure_error} and {@code model_error} faults in front of the real
 * runner: a request they strike fails without its inputs being looked at.
 */
public final class FailingRunner implements RequestQueue.Processor {
    private final RequestQueue.Processor runner;
    private final FaultPlan faults;

    public FailingRunner(RequestQueue.Processor runner, FaultPlan faults) {
        this.runner = runner;
        this.faults = faults;
    }

    @Override
    public Outcome process(FalRequest request) {
        if (faults.fires(Fault.INFRASTRUCTURE_ERROR)) {
            return Outcome.infrastructureError(faults.errorType(Fault.INFRASTRUCTURE_ERROR));
        }
        if (faults.fires(Fault.MODEL_ERROR)) {
            return Outcome.modelError();
        }
        return runner.process(request);
    }
}
