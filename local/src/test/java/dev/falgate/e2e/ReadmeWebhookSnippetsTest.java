package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.local.testing.Eventually;
import dev.falgate.local.testing.FreePorts;
import dev.falgate.webhooks.WebhookSigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * README.md's webhook receivers, extracted and run exactly as written (Node with the npm
 * {@code standardwebhooks}, Python with the PyPI one in the project's venv): a real delivery
 * from the local stack is accepted (the job records their 204) and a tampered one refused.
 */
class ReadmeWebhookSnippetsTest {
    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final String KEY = TestStack.ACME_KEY;
    private final Api api = TestStack.get().api;

    @Test
    void theNodeReceiverAcceptsAGenuineDeliveryAndRefusesATamperedOne() throws Exception {
        ReceiverTools.nodeReady();
        // under the directory holding node_modules, so the snippet's import resolves as in a partner's project
        Path dir = Files.createTempDirectory(ReceiverTools.JS_DIR, "readme-");
        Path script = dir.resolve("receiver.mjs");
        Files.writeString(script, ReceiverTools.readmeSnippet("webhook-receiver-node"));
        try {
            receives(dir, "node", script.toString());
        } finally {
            Files.deleteIfExists(script);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void thePythonReceiverAcceptsAGenuineDeliveryAndRefusesATamperedOne() throws Exception {
        Path python = ReceiverTools.pythonReady();
        Path script = ReceiverTools.VENV.resolve("readme_receiver.py");
        Files.writeString(script, ReceiverTools.readmeSnippet("webhook-receiver-python"));
        receives(ReceiverTools.VENV, python.toString(), script.toString());
    }

    private void receives(Path dir, String... command) throws Exception {
        String secret = api.get("/v1/webhooks/secret", KEY).json().get("secret").asText();
        int port = FreePorts.distinct(1).get(0);
        Process receiver = ReceiverTools.start(dir, Map.of("FALGATE_WEBHOOK_SECRET", secret, "PORT", String.valueOf(port)),
                command);
        try {
            String url = "http://127.0.0.1:" + port + "/falgate";
            Eventually.await(WITHIN, "the receiver to listen", () -> answers(url));
            Api.Response r = api.post("/v1/jobs", KEY, PartnerWebhookTest.editorJob(url, null));
            assertThat(r.status()).as(r.text()).isEqualTo(202);

            JsonNode job = api.awaitJob(KEY, r.json().get("id").asText(),
                    j -> j.get("webhook_deliveries").size() > 0, WITHIN);

            assertThat(job.at("/webhook_deliveries/0/status_code").asInt()).as("the receiver's answer").isEqualTo(204);
            String body = "{\"type\":\"job.completed\",\"data\":{\"id\":\"job_x\",\"status\":\"succeeded\"}}";
            long now = Instant.now().getEpochSecond();
            String signature = WebhookSigner.sign(secret, "msg_tamper", now, body.getBytes(StandardCharsets.UTF_8));
            assertThat(post(url, body, "msg_tamper", now, signature)).isEqualTo(204);
            assertThat(post(url, body.replace("succeeded", "failed"), "msg_tamper", now, signature)).isEqualTo(400);
        } finally {
            ReceiverTools.stop(receiver);
        }
    }

    /** Whether anything answers there yet (a bare POST is refused with 400 once it listens). */
    private Boolean answers(String url) {
        try {
            return post(url, "{}", "x", 0, "v1,x") == 400;
        } catch (Exception notYet) {
            return false;
        }
    }

    private int post(String url, String body, String id, long timestamp, String signature) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("webhook-id", id).header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", signature).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        // a client per request: Python's http.server closes each connection after its answer, and a
        // pooled connection it has already closed fails the next request ("received no bytes")
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
