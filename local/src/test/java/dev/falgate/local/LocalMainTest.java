package dev.falgate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.falgate.local.LocalMain.Listener;
import dev.falgate.local.LocalMain.Options;
import dev.falgate.local.emulators.PortInUseException;
import dev.falgate.local.testing.TestPaths;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
    void takesEveryListenersPortFromItsFlagOrItsVariable() {
        Options options = parse(Map.of("FALGATE_DYNAMODB_PORT", "18000", "FALGATE_SQS_PORT", "19324",
                "FALGATE_S3_PORT", "19000", "FALGATE_FAL_PORT", "18765"), "--s3-port", "29000", "--fal-port", "0");
        LocalStackConfig config = options.withStateDir(Path.of("/tmp/unused")).toConfig();

        assertThat(config.dynamoDbPort()).isEqualTo(18000);
        assertThat(config.sqsPort()).isEqualTo(19324);
        assertThat(config.s3Port()).isEqualTo(29000);
        assertThat(options.port(Listener.FAL)).isZero();
        assertThatThrownBy(() -> parse(Map.of("FALGATE_SQS_PORT", "x"))).hasMessage("FALGATE_SQS_PORT: not a port: x");
        assertThatThrownBy(() -> parse(Map.of(), "--fal-port", "70000")).hasMessage("--fal-port: not a port: 70000");
    }

    @Test
    void refusesOnePortForTwoListenersAndSaysWhichFlagMovesATakenOne() {
        assertThatThrownBy(() -> parse(Map.of("FALGATE_S3_PORT", "9324")))
                .hasMessage("port 9324 is given to both ElasticMQ (SQS) and S3Proxy (S3); change --s3-port or FALGATE_S3_PORT");
        assertThat(parse(Map.of(), "--port", "0", "--s3-port", "0").port(Listener.S3)).isZero();

        Options options = parse(Map.of(), "--dynamodb-port", "18001");
        assertThat(options.howToMoveFrom(18001))
                .isEqualTo("Stop what holds it, or choose another port with --dynamodb-port N or FALGATE_DYNAMODB_PORT=N.");
        assertThat(options.howToMoveFrom(1)).isEqualTo("Stop what holds it.");
    }

    @Test
    void aTakenPortFailsBeforeAnythingStartsOrIsWiped(@TempDir Path state) throws Exception {
        Path kept = Files.writeString(state.resolve("kept"), "state of the last run");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Options options = parse(Map.of(), "--fresh", "--port", "0", "--sqs-port", "0", "--s3-port", "0",
                    "--fal-port", "0", "--dynamodb-port", Integer.toString(taken.getLocalPort())).withStateDir(state);

            assertThatThrownBy(() -> LocalMain.start(options)).isInstanceOf(PortInUseException.class)
                    .hasMessage("DynamoDB Local cannot listen on port " + taken.getLocalPort() + ": it is already in use");
        }
        assertThat(kept).hasContent("state of the last run");
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
    void generatesOneKeyOnceAndKeepsIt(@TempDir Path state) throws Exception {
        List<ApiKey> first = parse(Map.of()).withStateDir(state).apiKeys();
        List<ApiKey> second = parse(Map.of()).withStateDir(state).apiKeys();

        assertThat(first).hasSize(1).isEqualTo(second);
        assertThat(first.get(0).tenant()).isEqualTo("local");
        assertThat(first.get(0).rawKey()).startsWith("fg_");
        assertThat(Files.getPosixFilePermissions(state.resolve("api-keys"))).isEqualTo(StateFiles.OWNER_ONLY_FILE);
        assertThat(Files.getPosixFilePermissions(state)).isEqualTo(StateFiles.OWNER_ONLY_DIRECTORY);
    }

    @Test
    void aTakenPortEndsTheCommandWithOneLineNamingItsFlagAndExitCodeOne(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), LocalMain.class.getName(), "--template", TEMPLATE,
                    "--port", "0", "--sqs-port", "0", "--s3-port", "0", "--fal-port", "0",
                    "--dynamodb-port", Integer.toString(port))
                    .directory(dir.toFile()).redirectOutput(dir.resolve("out").toFile())
                    .redirectError(dir.resolve("err").toFile()).start();

            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
            assertThat(process.exitValue()).isEqualTo(1);
            assertThat(Files.readAllLines(dir.resolve("err"))).containsExactly("falgate local: DynamoDB Local cannot"
                    + " listen on port " + port + ": it is already in use. Stop what holds it, or choose another port"
                    + " with --dynamodb-port N or FALGATE_DYNAMODB_PORT=N.");
            assertThat(dir.resolve("out")).isEmptyFile();
            assertThat(dir.resolve(".falgate")).doesNotExist();
        }
    }

    @Test
    void tightensAKeyFileAnOlderVersionLeftReadableByAll(@TempDir Path parent) throws Exception {
        Path state = Files.createDirectories(parent.resolve(".falgate"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path keys = Files.writeString(state.resolve("api-keys"), "local:fg_old\n");
        Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(parse(Map.of()).withStateDir(state).apiKeys()).containsExactly(new ApiKey("local", "fg_old"));
        assertThat(Files.getPosixFilePermissions(keys)).isEqualTo(StateFiles.OWNER_ONLY_FILE);
        assertThat(StateFiles.readOrCreate(state.resolve(StateFiles.CURSOR_SECRET_FILE))).isNotBlank();
        assertThat(Files.getPosixFilePermissions(state.resolve(StateFiles.CURSOR_SECRET_FILE)))
                .isEqualTo(StateFiles.OWNER_ONLY_FILE);
        assertThat(Files.getPosixFilePermissions(state)).isEqualTo(StateFiles.OWNER_ONLY_DIRECTORY);
    }

    @Test
    void wipesTheStateDirectory(@TempDir Path parent) throws Exception {
        Path state = Files.createDirectories(parent.resolve(".falgate/dynamodb"));
        Files.writeString(state.resolve("x.db"), "x");

        LocalMain.deleteRecursively(parent.resolve(".falgate"));

        assertThat(parent.resolve(".falgate")).doesNotExist();
    }
}
