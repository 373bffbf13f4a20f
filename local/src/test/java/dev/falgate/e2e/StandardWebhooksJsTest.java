package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The official {@code standardwebhooks} npm package, unmodified, verifies falgate's deliveries:
 * before a rotation with the old secret, during it with both the old and the new one, and
 * rejects a tampered body ({@code local/src/test/js/verify-deliveries.mjs}).
 */
class StandardWebhooksJsTest {
    private static final Duration WITHIN = Duration.ofSeconds(60);
    /** Its own tenant: the rotation must not change the secret under the other webhook tests. */
    private static final String KEY = TestStack.GLOBEX_KEY;
    private final Api api = TestStack.get().api;

    @Test
    void theOfficialLibraryVerifiesBeforeAndDuringARotationAndRejectsATamperedBody() throws Exception {
        ReceiverTools.nodeReady();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String oldSecret = api.get("/v1/webhooks/secret", KEY).json().get("secret").asText();
            WebhookReceiver.Delivery before = deliveredTo(receiver, "/before");

            Api.Response rotated = api.post("/v1/webhooks/secret/rotate", KEY, "{}");
            assertThat(rotated.status()).as(rotated.text()).isEqualTo(200);
            String newSecret = rotated.json().get("secret").asText();
            assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);
            assertThat(Instant.parse(rotated.json().get("previous_secret_expires_at").asText()))
                    .isBetween(Instant.now().plus(Duration.ofHours(23)), Instant.now().plus(Duration.ofHours(25)));
            assertThat(api.get("/v1/webhooks/secret", KEY).json().get("secret").asText()).isEqualTo(newSecret);
            WebhookReceiver.Delivery during = deliveredTo(receiver, "/during");

            assertThat(before.signature().split(" ")).hasSize(1);
            assertThat(during.signature().split(" ")).hasSize(2);
            ObjectNode input = Api.JSON.createObjectNode().put("old_secret", oldSecret).put("new_secret", newSecret);
            input.set("before", Api.JSON.valueToTree(before));
            input.set("during", Api.JSON.valueToTree(during));
            Path file = Files.createTempFile("deliveries", ".json");
            try {
                Files.writeString(file, Api.write(input));
                int exit = ReceiverTools.run(ReceiverTools.JS_DIR, Map.of(), Duration.ofSeconds(60),
                        "node", "verify-deliveries.mjs", file.toString());
                assertThat(exit).as("node verify-deliveries.mjs (its output is above)").isZero();
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }

    private WebhookReceiver.Delivery deliveredTo(WebhookReceiver receiver, String path) {
        Api.Response r = api.post("/v1/jobs", KEY, PartnerWebhookTest.editorJob(receiver.url(path), null));
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        JsonNode job = api.awaitJob(KEY, r.json().get("id").asText(),
                j -> j.at("/webhook_deliveries/0/status_code").asInt() == 204, WITHIN);
        assertThat(job.get("status").asText()).isEqualTo("succeeded");
        assertThat(receiver.at(path)).hasSize(1);
        return receiver.at(path).get(0);
    }
}
