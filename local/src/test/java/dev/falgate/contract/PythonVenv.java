package dev.falgate.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A virtual environment of the machine's python3 holding pinned requirements from PyPI, reused while they are unchanged. */
public final class PythonVenv {
    private static final Duration INSTALL = Duration.ofMinutes(5);

    private PythonVenv() {
    }

    /** {@code python3 -m venv} and {@code pip install -r requirements}, unless {@code venv} already has them; returns the venv. */
    public static Path ensure(Path venv, Path requirements) throws Exception {
        Path installedFrom = venv.resolve("installed-requirements.txt");
        if (Files.exists(installedFrom) && Files.mismatch(requirements, installedFrom) == -1) {
            return venv;
        }
        Path dir = requirements.getParent();
        Processes.Result created = Processes.run(dir, INSTALL, Map.of(),
                List.of("python3", "-m", "venv", "--clear", venv.toString()));
        assertThat(created.exit()).as("python3 -m venv:\n" + created.output()).isZero();
        Processes.Result pip = Processes.run(dir, INSTALL, Map.of("PIP_DISABLE_PIP_VERSION_CHECK", "1"),
                List.of(venv.resolve("bin/pip").toString(), "install", "--quiet", "--no-input", "-r", requirements.toString()));
        assertThat(pip.exit()).as("pip install -r " + requirements + ":\n" + pip.output()).isZero();
        Files.copy(requirements, installedFrom, StandardCopyOption.REPLACE_EXISTING);
        return venv;
    }
}
