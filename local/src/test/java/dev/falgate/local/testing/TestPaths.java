package dev.falgate.local.testing;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** The repository's template.yaml and the test template, wherever Maven was started from. */
public final class TestPaths {
    private TestPaths() {
    }

    public static Path repoTemplate() {
        String root = System.getProperty("falgate.repo.root");
        for (Path candidate : new Path[] {root == null ? null : Path.of(root, "template.yaml"),
                Path.of("template.yaml"), Path.of("..", "template.yaml")}) {
            if (candidate != null && Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("template.yaml not found from " + Path.of("").toAbsolutePath());
    }

    public static Path testTemplate() {
        try {
            return Path.of(Objects.requireNonNull(TestPaths.class.getResource("/test-template.yaml")).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
