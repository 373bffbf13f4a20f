package dev.falgate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.falgate.local.LocalMain.Options;
import dev.falgate.local.testing.TestPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalMainTest {
    private static final String TEMPLATE = TestPaths.repoTemplate().toString();

    private static Options parse(Map<String, String> env, String... args) {
        String[] withTemplate = new String[args.length + 2];
        withTemplate[0] = "--template";
        withTemplate[1] = TEMPLATE;
        System.arraycopy(args, 0, withTemplate, 2, args.length);
        return Options.parse(withTemplate, env);
    }

    @Test
    void defaultsToTheFixedPortsAndTheStateDirectory() {
        Options options = parse(Map.of());
        LocalStackConfig config = options.withStateDir(Path.of("/tmp/unused")).toConfig();

        assertThat(options.apiPort()).isEqualTo(3000);
        assertThat(options.fal()).isTrue();
        assertThat(options.base64Bodies()).isEqualTo(Base64Bodies.BINARY_ONLY);
        assertThat(Options.parse(new String[] {"--template", TEMPLATE}, Map.of()).stateDir())
                .isEqualTo(Path.of(".falgate").toAbsolutePath());
        assertThat(config.dynamoDbPort()).isEqualTo(8000);
        assertThat(config.sqsPort()).isEqualTo(9324);
        assertThat(config.s3Port()).isEqualTo(9000);
        assertThat(config.fal()).isPresent();
    }

    @Test
    void takesThePortFromFalgatePortOrTheCommandLine() {
        assertThat(parse(Map.of("FALGATE_PORT", "3100")).apiPort()).isEqualTo(3100);
        assertThat(parse(Map.of("FALGATE_PORT", "3100"), "--port", "0").apiPort()).isZero();
        assertThatThrownBy(() -> parse(Map.of(), "--port", "http")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parse(Map.of(), "--verbose")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsTheOtherOptions() {
        Options options = parse(Map.of(), "--fresh", "--no-fal", "--base64-bodies", "random:42");

        assertThat(options.fresh()).isTrue();
        assertThat(options.fal()).isFalse();
        assertThat(options.base64Bodies()).isEqualTo(Base64Bodies.RANDOM);
        assertThat(options.base64Seed()).isEqualTo(42);
    }

    @Test
    void takesApiKeysFromTheEnvironment(@TempDir Path state) {
        Options options = parse(Map.of("FALGATE_API_KEYS", "acme:fg_one, globex:fg_two")).withStateDir(state);

        assertThat(options.apiKeys()).containsExactly(new ApiKey("acme", "fg_one"), new ApiKey("globex", "fg_two"));
        assertThat(state.resolve("api-keys")).doesNotExist();
    }

    @Test
    void generatesOneKeyOnceAndKeepsIt(@TempDir Path state) {
        List<ApiKey> first = parse(Map.of()).withStateDir(state).apiKeys();
        List<ApiKey> second = parse(Map.of()).withStateDir(state).apiKeys();

        assertThat(first).hasSize(1).isEqualTo(second);
        assertThat(first.get(0).tenant()).isEqualTo("local");
        assertThat(first.get(0).rawKey()).startsWith("fg_");
        assertThat(Files.exists(state.resolve("api-keys"))).isTrue();
    }

    @Test
    void wipesTheStateDirectory(@TempDir Path parent) throws Exception {
        Path state = Files.createDirectories(parent.resolve(".falgate/dynamodb"));
        Files.writeString(state.resolve("x.db"), "x");

        LocalMain.deleteRecursively(parent.resolve(".falgate"));

        assertThat(parent.resolve(".falgate")).doesNotExist();
    }
}
