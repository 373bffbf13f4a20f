package dev.falgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class InvocationScopeTest {
    @Test
    void theFunctionIsSetForTheWorkOnlyAndAnOuterOneComesBack() throws Exception {
        assertThat(InvocationScope.function()).isEmpty();
        String inner = InvocationScope.run("SubmitFunction",
                () -> InvocationScope.run("ReadFunction", () -> InvocationScope.function().orElseThrow())
                        + "/" + InvocationScope.function().orElseThrow());
        assertThat(inner).isEqualTo("ReadFunction/SubmitFunction");
        assertThat(InvocationScope.function()).isEmpty();
    }

    @Test
    void aFailingInvocationLeavesNoFunctionBehind() {
        assertThatThrownBy(() -> InvocationScope.run("PollerFunction", () -> {
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(InvocationScope.function()).isEmpty();
    }

    @Test
    void aTaskCarriedToAWorkerThreadRunsUnderTheSubmittersFunctionAndOnlyThere() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            AtomicReference<Optional<String>> seen = new AtomicReference<>();
            InvocationScope.run("FinishFunction", () -> pool.submit(
                    InvocationScope.carrying(() -> seen.set(InvocationScope.function()))).get());
            assertThat(seen.get()).contains("FinishFunction");
            Future<Optional<String>> after = pool.submit(InvocationScope::function);
            assertThat(after.get()).as("the pool thread is not left marked").isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }
}
