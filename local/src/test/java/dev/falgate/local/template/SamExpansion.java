package dev.falgate.local.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falgate.contract.OpenApiLintTest;
import dev.falgate.contract.Processes;
import dev.falgate.contract.PythonVenv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A template as CloudFormation receives it: the SAM transform applied by the pinned
 * aws-sam-translator ({@code src/test/cfn-lint/expand.py}, what {@code sam deploy} sends). One
 * venv holds it with the newest cfn-lint; CfnLintTest lints the expansion and LeastPrivilegeTest
 * reads the functions' role policies from it.
 */
public final class SamExpansion {
    public static final Path DIR = OpenApiLintTest.MODULE.resolve("src/test/cfn-lint");
    private static final Path VENV = OpenApiLintTest.MODULE.resolve("target/cfn-lint-venv");
    private static final Duration RUN = Duration.ofMinutes(2);

    private SamExpansion() {
    }

    /** The venv with cfn-lint and aws-sam-translator, made from the pinned requirements if needed. */
    public static Path venv() throws Exception {
        return PythonVenv.ensure(VENV, DIR.resolve("requirements.txt"));
    }

    /** Writes the expansion of {@code template} (YAML or JSON) to {@code target}; returns it. */
    public static Path expand(Path template, Path target) throws Exception {
        Files.createDirectories(target.getParent());
        Processes.Result run = Processes.run(DIR, RUN, Map.of(), List.of(venv().resolve("bin/python").toString(),
                DIR.resolve("expand.py").toString(), template.toString(), target.toString()));
        assertThat(run.exit()).as("aws-sam-translator (expand.py) refused " + template + ":\n" + run.output()).isZero();
        return target;
    }
}
