package dev.falgate.catalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Where the tests find the repository, the seed pages and the committed catalog. */
final class RepoPaths {

    private RepoPaths() {
    }

    /**
     * The folder holding template.yaml, searched upwards from {@code falgate.repo.root} (set by
     * surefire; it is the module dir when Maven runs inside catalog/) and from the working dir.
     */
    static Path repoRoot() {
        return Stream.of(System.getProperty("falgate.repo.root", ""), "")
                .map(start -> Path.of(start).toAbsolutePath().normalize())
                .map(RepoPaths::folderWithTemplateAbove)
                .flatMap(Stream::ofNullable)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no template.yaml above " + Path.of("").toAbsolutePath()));
    }

    static Path seedsDir() {
        return repoRoot().resolve("../shared/seeds").normalize();
    }

    static Path committedCatalog() {
        return repoRoot().resolve("catalog/src/main/resources/falgate/catalog.json");
    }

    private static Path folderWithTemplateAbove(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml"))) {
                return dir;
            }
        }
        return null;
    }
}
