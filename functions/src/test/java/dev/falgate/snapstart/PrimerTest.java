package dev.falgate.snapstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrimerTest {
    @Test
    void aFailingStepIsLoggedAndTheRestStillRun() {
        List<String> ran = new ArrayList<>();
        Primer primer = new Primer("TestFunction")
                .step("first", () -> ran.add("first"))
                .step("runtime failure", () -> {
                    throw new IllegalStateException("boom");
                })
                .step("checked failure", () -> {
                    throw new java.io.IOException("refused");
                })
                .step("linkage failure", () -> {
                    throw new NoClassDefFoundError("gone");
                })
                .step("last", () -> ran.add("last"));

        assertThatCode(() -> primer.beforeCheckpoint(null)).doesNotThrowAnyException();

        assertThat(ran).containsExactly("first", "last");
        assertThat(primer.lastReport().primed()).containsExactly("first", "last");
        assertThat(primer.lastReport().failed()).containsOnlyKeys("runtime failure", "checked failure", "linkage failure");
        assertThat(primer.lastReport().failed().get("runtime failure")).contains("boom");
    }

    @Test
    void registeringKeepsTheLastPrimerOfAFunctionReachable() {
        Primer first = new Primer("RegisteredFunction").register();
        Primer second = new Primer("RegisteredFunction").register();
        assertThat(Primer.registered("RegisteredFunction")).containsSame(second).isNotSameAs(first);
        assertThat(Primer.registered("NoSuchFunction")).isEmpty();
    }

    @Test
    void theEd25519TestVectorVerifiesAndThePngDecodes() throws Exception {
        assertThatCode(Samples::verifyEd25519).doesNotThrowAnyException();
        assertThat(dev.falgate.uploads.FileSniffer.dimensions(Samples.png()))
                .hasValue(new dev.falgate.uploads.FileSniffer.Dimensions(4, 3));
    }
}
