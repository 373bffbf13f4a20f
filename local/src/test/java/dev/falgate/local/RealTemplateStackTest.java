package dev.falgate.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falgate.auth.ApiKeyStore;
import dev.falgate.emulator.FalEmulatorConfig;
import dev.falgate.local.fal.EmbeddedFal;
import dev.falgate.local.template.TemplateCheck;
import dev.falgate.local.testing.TestPaths;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * template.yaml itself on the stack, with falgate's real handlers and the fal emulator: a smoke
 * test of the wiring (the flows are the e2e tests' job).
 */
class RealTemplateStackTest {
    private static final String KEY = "fg_local_stack_test_key_0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(LocalStackConfig.builder(TestPaths.repoTemplate())
                .apiKeys(List.of(new ApiKey("acme", KEY)))
                .fal(EmbeddedFal.starter(FalEmulatorConfig.builder().port(0).build()))
                .build());
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static HttpResponse<String> get(String path, String key) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.apiUrl() + path));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void createsTheTemplatesResourcesAndRegistersTheApiKey() {
        assertThat(stack.dynamoDb().listTables().tableNames()).containsExactly("falgate-JobsTable");
        assertThat(stack.sqs().listQueues().queueUrls()).containsExactlyInAnyOrder(
                stack.queueUrl("PollQueue"), stack.queueUrl("FinishQueue"), stack.queueUrl("PollDeadLetterQueue"),
                stack.queueUrl("WebhookQueue"), stack.queueUrl("WebhookDeadLetterQueue"));
        assertThat(stack.s3().listBuckets().buckets()).extracting(b -> b.name()).containsExactly("falgate-filesbucket");
        assertThat(new ApiKeyStore(stack.dynamoDb(), "falgate-JobsTable").tenantOf(KEY)).contains("acme");
    }

    @Test
    void pointsTheHandlersAtTheEmulators() {
        EmbeddedFal fal = (EmbeddedFal) stack.fal().orElseThrow();

        assertThat(stack.environment("SubmitFunction"))
                .containsEntry("FAL_QUEUE_BASE_URL", fal.baseUrl().toString())
                .containsEntry("FAL_JWKS_URL", fal.jwksUrl().toString())
                .containsEntry("FAL_KEY", fal.apiKey())
                .containsEntry("POLL_QUEUE_URL", stack.queueUrl("PollQueue"))
                .containsEntry("FINISH_QUEUE_URL", stack.queueUrl("FinishQueue"))
                .containsEntry("WEBHOOK_QUEUE_URL", stack.queueUrl("WebhookQueue"))
                .containsEntry("FALGATE_WEBHOOK_ALLOW_LOOPBACK", "true")
                .containsEntry("FALGATE_ENDPOINT_S3", stack.endpoints().s3().toString())
                .containsEntry("FALGATE_TIME_SCALE", "60.0")
                .containsEntry("FAL_CDN_HOSTS", "*.fal.media,fal.media,storage.googleapis.com,127.0.0.1,localhost");
    }

    @Test
    void servesTheApiThroughTheRealHandlers() throws Exception {
        assertThat(get("/v1/models", KEY).statusCode()).isEqualTo(200);
        assertThat(get("/v1/jobs", null).statusCode()).isEqualTo(401);
        assertThat(get("/v1/nothing", KEY).statusCode()).isEqualTo(404);
    }

    @Test
    void theRunningTemplatePassesTheCodeCheck() {
        assertThat(TemplateCheck.run(stack.template(), CodeExpectations.falgate())).isEmpty();
    }
}
