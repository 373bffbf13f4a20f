package dev.falgate.emulator.output;

import dev.falgate.emulator.input.InputCheck;
import dev.falgate.emulator.input.InputChecker;
import dev.falgate.emulator.queue.FalRequest;
import dev.falgate.emulator.queue.Outcome;
import dev.falgate.emulator.queue.RequestQueue;

/** What the "runner" does with a request: check and fetch the inputs, then make the outputs. */
public final class ModelRunner implements RequestQueue.Processor {
    private final InputChecker checker;
    private final OutputAssembler assembler;

    public ModelRunner(InputChecker checker, OutputAssembler assembler) {
        this.checker = checker;
        this.assembler = assembler;
    }

    @Override
    public Outcome process(FalRequest request) {
        InputCheck check = checker.check(request.model(), request.input());
        if (!check.valid()) {
            return Outcome.validationFailed(check.problems());
        }
        GenerationContext context = new GenerationContext(request.id(), request.model(),
                request.input(), check.files());
        return Outcome.success(assembler.assemble(context));
    }
}
