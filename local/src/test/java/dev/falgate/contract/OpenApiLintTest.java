package dev.falgate.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.falgate.catalog.Catalog;
import dev.falgate.openapi.OpenApiContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract passes Redocly's linter ({@code @redocly/cli lint}, its recommended rules) with no
 * error. The CLI is pinned in {@code src/test/contract/package.json} and its lock file and
 * installed with {@code npm ci} when missing; telemetry is off. Node.js 20+ is required.
 */
public class OpenApiLintTest {
    public static final Path MODULE = Path.of(System.getProperty("basedir", "."));
    public static final Path CONTRACT_DIR = MODULE.resolve("src/test/contract");
    // no telemetry, no update check: the linter talks to nobody
    static final Map<String, String> NO_TELEMETRY = Map.of("REDOCLY_TELEMETRY", "off", "REDOCLY_SDK_TELEMETRY", "off",
            "REDOCLY_SUPPRESS_UPDATE_NOTICE", "true", "REDOCLY_SUPPRESS_NOTIFICATIONS", "true");
    private static final Duration NPM_CI = Duration.ofMinutes(3);
    private static final Duration LINT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void redoclyLintFindsNoError() throws Exception {
        installCliIfMissing();
        Path doc = writeContract(OpenApiContract.document(Catalog.standard()), "openapi.json");

        Processes.Result lint = Processes.run(CONTRACT_DIR, LINT, NO_TELEMETRY,
                List.of("node_modules/.bin/redocly", "lint", "--format=stylish", doc.toString()));

        assertThat(lint.exit()).as("redocly lint exit code; its output:\n" + lint.output()).isZero();
        assertThat(lint.output()).as("redocly's verdict").containsPattern("valid|Woohoo");
    }

    /** Writes a contract under {@code target/contract}, where the tools read it. */
    public static Path writeContract(Object contract, String name) throws IOException {
        Path dir = MODULE.resolve("target/contract");
        Files.createDirectories(dir);
        Path doc = dir.resolve(name);
        JSON.writerWithDefaultPrettyPrinter().writeValue(doc.toFile(), contract);
        return doc;
    }

    private static void installCliIfMissing() throws Exception {
        String pinned = JSON.readTree(CONTRACT_DIR.resolve("package.json").toFile()).at("/dependencies/@redocly~1cli").asText();
        Path installed = CONTRACT_DIR.resolve("node_modules/@redocly/cli/package.json");
        if (Files.exists(installed) && JSON.readTree(installed.toFile()).path("version").asText().equals(pinned)) {
            return;
        }
        Processes.Result ci = Processes.run(CONTRACT_DIR, NPM_CI, NO_TELEMETRY, List.of("npm", "ci", "--no-audit", "--no-fund"));
        assertThat(ci.exit()).as("npm ci in " + CONTRACT_DIR + ":\n" + ci.output()).isZero();
    }
}
