package dev.falgate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.falgate.config.AwsClients;
import dev.falgate.config.SecretSource;
import dev.falgate.config.Settings;
import dev.falgate.emulator.FalEmulatorConfig;
import dev.falgate.local.fal.EmbeddedFal;
import dev.falgate.local.template.FunctionDef;
import dev.falgate.local.testing.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * What a function in a {@code sam local} container gets from the stack, read the way the
 * function reads it: the {@code --env-vars} file, and each secret through the real SDK from the
 * Secrets Manager stand-in with only the endpoint overridden (SamLocalTest runs the containers).
 */
class SamEnvironmentTest {
    /** Presigned URLs (fal, browsers) and fal's webhook target: the host's view, not the container's. */
    private static final java.util.Set<String> USED_ON_THE_HOST = java.util.Set.of("FALGATE_PUBLIC_S3_ENDPOINT", "WEBHOOK_BASE_URL");
    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(LocalStackConfig.builder(TestPaths.repoTemplate())
                .fal(EmbeddedFal.starter(FalEmulatorConfig.builder().port(0).build())).build());
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void everyFunctionReadsItsSecretsThroughTheStandInAsDeployed(@TempDir Path dir) throws IOException {
        Path file = SamEnvironment.write(stack, dir.resolve(SamEnvironment.FILE_NAME), SamEnvironment.DEFAULT_CONTAINER_HOST);
        JsonNode vars = new ObjectMapper().readTree(Files.readString(file));
        assertThat(vars.size()).isEqualTo(stack.template().functions().size());
        for (FunctionDef function : stack.template().functions()) {
            Map<String, String> env = asMap(vars.path(function.logicalId()));
            assertThat(env.keySet()).as(function.logicalId() + ": only what the template declares (SAM passes no other)")
                    .isSubsetOf(function.environment().keySet()).contains("JOBS_TABLE", "FALGATE_ENDPOINT_SECRETSMANAGER");
            assertThat(env).as("no loopback URL but those used on the host: a container has a loopback of its own")
                    .containsEntry("FALGATE_PUBLIC_S3_ENDPOINT", stack.endpoints().s3().toString())
                    .containsEntry("WEBHOOK_BASE_URL", stack.apiUrl().toString())
                    .allSatisfy((name, value) -> assertThat(USED_ON_THE_HOST.contains(name)
                            || !(value.contains("://127.0.0.1") || value.contains("://localhost"))).as(name).isTrue());
            Settings asDeployed = new Settings(onHost(env));
            try (SecretsManagerClient secrets = new AwsClients(asDeployed).secretsManager()) {
                Map<String, String> direct = stack.environment(function.logicalId());
                SamEnvironment.SECRET_VARIABLES.forEach((idVariable, directVariable) -> {
                    if (env.containsKey(idVariable)) {
                        assertThat(SecretSource.from(asDeployed, directVariable, idVariable, () -> secrets).get())
                                .as(function.logicalId() + " " + idVariable).isEqualTo(direct.get(directVariable));
                    }
                });
            }
        }
    }

    @Test
    void unknownSecretsAndOtherOperationsFailAsSecretsManagerWould() {
        Map<String, String> env = new HashMap<>(Map.of("AWS_ACCESS_KEY_ID", "x", "AWS_SECRET_ACCESS_KEY", "y",
                "FALGATE_ENDPOINT_SECRETSMANAGER", stack.secretsManagerEndpoint().toString()));
        try (SecretsManagerClient secrets = new AwsClients(new Settings(env)).secretsManager()) {
            assertThatThrownBy(() -> secrets.getSecretValue(r -> r.secretId("falgate/no-such-secret")))
                    .isInstanceOf(ResourceNotFoundException.class);
            assertThatThrownBy(() -> secrets.listSecrets(r -> { }))
                    .isInstanceOf(SecretsManagerException.class).hasMessageContaining("GetSecretValue only");
        }
    }

    /** The container's view mapped back to this host (the container reaches it as host.docker.internal). */
    private static Map<String, String> onHost(Map<String, String> containerEnv) {
        Map<String, String> env = new HashMap<>();
        containerEnv.forEach((k, v) -> env.put(k, v.replace(SamEnvironment.DEFAULT_CONTAINER_HOST, "127.0.0.1")));
        env.put("AWS_ACCESS_KEY_ID", LocalAws.ACCESS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", LocalAws.SECRET_ACCESS_KEY);
        return env;
    }

    private static Map<String, String> asMap(JsonNode object) {
        Map<String, String> map = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            map.put(e.getKey(), e.getValue().asText());
        }
        return map;
    }
}
