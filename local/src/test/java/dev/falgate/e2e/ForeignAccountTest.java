package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.falgate.config.SecretSource;
import dev.falgate.emulator.Account;
import dev.falgate.emulator.FalEmulator;
import dev.falgate.emulator.FalEmulatorConfig;
import dev.falgate.emulator.faults.FaultSettings;
import dev.falgate.fal.WebhookTokens;
import dev.falgate.local.ApiKey;
import dev.falgate.local.LocalStack;
import dev.falgate.local.LocalStackConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An attacker with a fal account of their own and a victim's job id: fal signs the attacker's
 * webhooks with the same keys as ours, so their signature is genuine. Each defence is tested
 * alone, against a job in each state (fal's request id not yet known, submitted, finished): on
 * a stack without {@code FalUserId} the attacker has no token (the token alone stops them); on
 * a stack with {@code FalUserId} the attacker has the job's leaked token (the account check
 * alone stops them). Nothing changes: the job item, the bucket. A genuine webhook of our own
 * account, with the token, then binds and finishes the job whose request id was unknown.
 */
class ForeignAccountTest {
    static final String KEY = "fg_foreign_acme_0123456789abcdef0123456789abcdef";

    static FalEmulator fal;
    static Account attacker;
    static HttpServer capture;
    static final BlockingQueue<Captured> CAPTURED = new ArrayBlockingQueue<>(64);
    static final HttpClient HTTP = HttpClient.newHttpClient();

    record Captured(Map<String, String> headers, byte[] body) {
    }

    @BeforeAll
    static void start() throws Exception {
        fal = FalEmulator.start(FalEmulatorConfig.builder().port(0).speed(TestStack.FAL_SPEED)
                .webhookRetryDelays(List.of()).build());
        attacker = fal.createAccount();
        capture = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        capture.createContext("/", ex -> {
            Map<String, String> headers = new HashMap<>();
            ex.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            CAPTURED.add(new Captured(headers, ex.getRequestBody().readAllBytes()));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        capture.start();
    }

    @AfterAll
    static void stop() {
        capture.stop(0);
        fal.close();
    }

    @Test
    void withoutTheTokenAGenuineForeignWebhookChangesNothing() throws Exception {
        try (Victim v = new Victim(Map.of())) {
            v.attackEveryState(jobId -> "/v1/webhooks/fal/" + jobId, "invalid_webhook_token");
            v.positiveControl();
        }
    }

    @Test
    void withTheLeakedTokenAGenuineForeignWebhookFromAnotherAccountChangesNothing() throws Exception {
        try (Victim v = new Victim(Map.of("FalUserId", fal.userId()))) {
            v.attackEveryState(v::ourWebhookPath, "foreign_account");
            v.positiveControl();
        }
    }

    /** A stack with three jobs of one tenant, one in each state. */
    static final class Victim implements AutoCloseable {
        final LocalStack stack;
        final Api api;
        final String unknownRequest;
        final String submitted;
        final String finished;

        Victim(Map<String, String> parameters) {
            stack = LocalStack.start(LocalStackConfig.builder(TestStack.repoRoot().resolve("template.yaml"))
                    .apiKeys(List.of(new ApiKey("acme", KEY))).fal(TestStack.backend(fal))
                    .parameterOverrides(parameters).build());
            api = new Api(stack.apiUrl());
            finished = submit();
            assertThat(api.awaitTerminal(KEY, finished, Duration.ofSeconds(30)).get("status").asText()).isEqualTo("succeeded");
            // fal's answer to this submit is a 500: it may or may not have the request, so its id is unknown
            fal.faults().replace(FaultSettings.parse("{\"knobs\": {\"submit_http_error\": {\"count\": 1, \"status\": 500}}}"));
            unknownRequest = submit();
            fal.faults().replace(FaultSettings.none());
            fal.setSpeed(0.001); // this one stays in fal's queue
            submitted = submit();
            fal.setSpeed(TestStack.FAL_SPEED);
            assertThat(item(unknownRequest).get("submit_state").s()).isEqualTo("UNCERTAIN");
            assertThat(item(unknownRequest)).doesNotContainKey("fal_request_id");
            assertThat(item(submitted).get("submit_state").s()).isEqualTo("SUBMITTED");
            String leaked = fal.acceptedSubmits().stream().filter(s -> s.webhookUrl().contains(submitted))
                    .findFirst().orElseThrow().webhookUrl();
            assertThat(leaked).as("what fal is given carries the job's token").endsWith(ourWebhookPath(submitted));
        }

        /** The webhook URL's path and query as submit gives it to fal: the job's tenant and model, and the token covering them. */
        String ourWebhookPath(String jobId) {
            String secret = stack.environment("CallbackFunction").get("WEBHOOK_SECRET");
            String path = "/v1/webhooks/fal/" + jobId + "?" + new WebhookTokens.Scope("acme", PipelineTest.MESH).query();
            return new WebhookTokens(SecretSource.of(secret)).withToken(path, jobId);
        }

        void attackEveryState(java.util.function.Function<String, String> path, String refusal) throws Exception {
            for (String job : List.of(unknownRequest, submitted, finished)) {
                Map<String, AttributeValue> before = item(job);
                int objects = objects();
                Captured webhook = foreignWebhook();
                assertThat(webhook.headers().get("x-fal-webhook-user-id")).isEqualTo(attacker.userId());
                HttpRequest.Builder relay = HttpRequest.newBuilder(stack.apiUrl().resolve(path.apply(job)))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(webhook.body()));
                webhook.headers().forEach((name, value) -> {
                    if (name.startsWith("x-fal-webhook-") || name.equals("content-type")) {
                        relay.header(name, value);
                    }
                });
                HttpResponse<String> r = HTTP.send(relay.build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(job + ": " + r.body()).isEqualTo(401);
                assertThat(Api.JSON.readTree(r.body()).at("/error/code").asText()).isEqualTo(refusal);
                assertThat(item(job)).as("the job item of " + job).isEqualTo(before);
                assertThat(objects()).as("objects in the bucket").isEqualTo(objects);
            }
        }

        /** The attacker runs a cheap request of their own whose webhook the test captures. */
        Captured foreignWebhook() throws Exception {
            CAPTURED.clear();
            String hook = "http://127.0.0.1:" + capture.getAddress().getPort() + "/hook";
            HttpRequest submit = HttpRequest.newBuilder(URI.create(fal.baseUrl() + "/" + PipelineTest.EDITOR
                            + "?fal_webhook=" + URLEncoder.encode(hook, StandardCharsets.UTF_8)))
                    .header("authorization", "Key " + attacker.key()).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"image_url\": \"data:image/png;base64,"
                            + java.util.Base64.getEncoder().encodeToString(Images.png(8, 8)) + "\"}"))
                    .build();
            HttpResponse<String> accepted = HTTP.send(submit, HttpResponse.BodyHandlers.ofString());
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
            Captured c = CAPTURED.poll(30, TimeUnit.SECONDS);
            assertThat(c).as("the attacker's webhook").isNotNull();
            return c;
        }

        /** Our own account's genuine webhook, with the token, names the lost request and finishes the job. */
        void positiveControl() throws Exception {
            HttpRequest submit = HttpRequest.newBuilder(URI.create(fal.baseUrl() + "/" + PipelineTest.MESH
                            + "?fal_webhook=" + URLEncoder.encode(stack.apiUrl().resolve(ourWebhookPath(unknownRequest)).toString(),
                            StandardCharsets.UTF_8)))
                    .header("authorization", "Key " + fal.apiKey()).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"image_url\": \"data:image/png;base64,"
                            + java.util.Base64.getEncoder().encodeToString(Images.png(8, 8)) + "\"}"))
                    .build();
            assertThat(HTTP.send(submit, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            JsonNode done = api.awaitTerminal(KEY, unknownRequest, Duration.ofSeconds(30));
            assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
            assertThat(PipelineTest.last(done.get("events")).get("source").asText()).isEqualTo("webhook");
            assertThat(done.get("files")).isNotEmpty();
        }

        String submit() {
            // a 3D model: its deadline (an hour, scaled) outlasts the attacks
            Api.Response r = api.post("/v1/jobs", KEY, Map.of("model", PipelineTest.MESH, "input", Map.of("image_url",
                    "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(Images.png(16, 16)))));
            assertThat(r.status()).as(r.text()).isEqualTo(202);
            return r.json().get("id").asText();
        }

        Map<String, AttributeValue> item(String jobId) {
            String table = stack.environment("ReadFunction").get("JOBS_TABLE");
            return stack.dynamoDb().getItem(g -> g.tableName(table).consistentRead(true).key(Map.of(
                    "pk", AttributeValue.fromS("JOB#" + jobId), "sk", AttributeValue.fromS("JOB")))).item();
        }

        int objects() {
            String bucket = stack.environment("ReadFunction").get("FILES_BUCKET");
            return stack.s3().listObjectsV2Paginator(l -> l.bucket(bucket)).contents().stream().mapToInt(o -> 1).sum();
        }

        @Override
        public void close() {
            api.post("/v1/jobs/" + submitted + "/cancel", KEY, Map.of());
            stack.close();
        }
    }
}
