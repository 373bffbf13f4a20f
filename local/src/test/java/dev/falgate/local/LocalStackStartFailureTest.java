package dev.falgate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.falgate.local.emulators.PortInUseException;
import dev.falgate.local.testing.TestPaths;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start that fails stops whatever had started, so the next start finds its ports free. */
class LocalStackStartFailureTest {

    @Test
    void aBusyPortFailsTheStartAndNamesTheEmulator() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LocalStackConfig config = LocalStackConfig.builder(TestPaths.testTemplate())
                    .s3Port(taken.getLocalPort()).build();

            assertThatThrownBy(() -> LocalStack.start(config)).isInstanceOf(PortInUseException.class)
                    .hasMessage("S3Proxy cannot listen on port " + taken.getLocalPort() + ": it is already in use");
        }
        try (LocalStack next = LocalStack.start(LocalStackConfig.builder(TestPaths.testTemplate()).build())) {
            assertThat(next.dynamoDb().listTables().tableNames()).containsExactly("falgate-ItemsTable");
        }
    }

    @Test
    void aHandlerClassThatIsNotThereFailsTheStart(@TempDir Path dir) throws Exception {
        Path template = dir.resolve("template.yaml");
        Files.writeString(template, Files.readString(TestPaths.testTemplate())
                .replace("dev.falgate.local.testing.EchoHandler", "dev.falgate.local.testing.NoSuchHandler"));

        assertThatThrownBy(() -> LocalStack.start(LocalStackConfig.builder(template).build()))
                .hasMessageContaining("dev.falgate.local.testing.NoSuchHandler cannot be created");
    }
}
