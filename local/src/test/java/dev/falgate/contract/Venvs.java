package dev.falgate.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A Python tool in a virtual environment of its own, from a pinned requirements file. */
public final class Venvs {
    private Venvs() {
    }

    /**
     * {@code python3 -m venv} and {@code pip install -r requirements}, unless the venv already
     * holds {@code tool} installed from exactly these requirements.
     *
     * @return the tool's path in the venv
     */
    public static Path install(Path venv, Path requirements, String tool, Duration within) throws Exception {
        Path executable = venv.resolve("bin").resolve(tool);
        Path installedFrom = venv.resolve("installed-requirements.txt");
        if (Files.exists(executable) && Files.exists(installedFrom) && Files.mismatch(requirements, installedFrom) == -1) {
            return executable;
        }
        Path dir = venv.getParent();
        Processes.Result created = Processes.run(dir, within, Map.of(),
                List.of("python3", "-m", "venv", "--clear", venv.toString()));
        assertThat(created.exit()).as("python3 -m venv:\n" + created.output()).isZero();
        Processes.Result pip = Processes.run(dir, within, Map.of("PIP_DISABLE_PIP_VERSION_CHECK", "1"),
                List.of(venv.resolve("bin/pip").toString(), "install", "--quiet", "--no-input", "-r", requirements.toString()));
        assertThat(pip.exit()).as("pip install -r " + requirements + ":\n" + pip.output()).isZero();
        Files.copy(requirements, installedFrom, StandardCopyOption.REPLACE_EXISTING);
        return executable;
    }
}
