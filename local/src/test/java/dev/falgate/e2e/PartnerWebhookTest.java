package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.local.testing.Eventually;
import dev.falgate.webhooks.WebhookDeliveryService;
import dev.falgate.webhooks.WebhookMessage;
import dev.falgate.webhooks.WebhookSigner;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Outgoing partner webhooks end to end on the local stack (which admits http:// loopback
 * receivers): events, envelope, signatures, retries with the same webhook-id, a receiver that
 * never answers, replay, and the SSRF refusals a submit gets even here.
 */
class PartnerWebhookTest {
    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final String KEY = TestStack.ACME_KEY;
    private static WebhookReceiver receiver;
    private final TestStack t = TestStack.get();
    private final Api api = t.api;

    @BeforeAll
    static void startReceiver() throws IOException {
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    static ObjectNode editorJob(String webhook, List<String> filter) {
        ObjectNode body = Api.JSON.createObjectNode().put("model", PipelineTest.EDITOR);
        body.putObject("input").put("image_url",
                "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(Images.png(16, 12)));
        if (webhook != null) {
            body.put("webhook", webhook);
        }
        if (filter != null) {
            filter.forEach(body.putArray("webhook_events_filter")::add);
        }
        return body;
    }

    private String submit(ObjectNode body) {
        Api.Response r = api.post("/v1/jobs", KEY, body);
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        assertThat(r.json().get("webhook_deliveries").isArray()).isTrue();
        return r.json().get("id").asText();
    }

    private JsonNode awaitDeliveries(String jobId, int count) {
        return api.awaitJob(KEY, jobId, j -> j.get("webhook_deliveries").size() >= count, WITHIN);
    }

    @Test
    void aCompletedOnlyJobSendsExactlyOneSignedEventWithTheJobAsGetShowsIt() {
        String jobId = submit(editorJob(receiver.url("/one"), null));

        JsonNode job = api.awaitJob(KEY, jobId, j -> j.get("webhook_deliveries").size() == 1
                && j.at("/webhook_deliveries/0/status_code").asInt() == 204, WITHIN);

        assertThat(job.get("status").asText()).isEqualTo("succeeded");
        JsonNode shown = job.at("/webhook_deliveries/0");
        assertThat(shown.get("event").asText()).isEqualTo("completed");
        assertThat(shown.get("attempt").asInt()).isEqualTo(1);
        assertThat(Instant.parse(shown.get("at").asText())).isAfterOrEqualTo(Instant.parse(job.get("completed_at").asText()));
        List<WebhookReceiver.Delivery> got = receiver.at("/one");
        assertThat(got).hasSize(1);
        JsonNode envelope = got.get(0).json();
        assertThat(envelope.get("type").asText()).isEqualTo("job.completed");
        assertThat(envelope.get("timestamp").asText()).isNotBlank();
        assertThat(envelope.at("/data/id").asText()).isEqualTo(jobId);
        assertThat(envelope.at("/data/status").asText()).isEqualTo("succeeded");
        assertThat(api.download(envelope.at("/data/files/0/url").asText()).status()).isEqualTo(200);
        String secret = api.get("/v1/webhooks/secret", KEY).json().get("secret").asText();
        assertThat(got.get(0).signature()).contains(WebhookSigner.sign(secret, got.get(0).id(),
                Long.parseLong(got.get(0).timestamp()), got.get(0).body().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aReceiverFailingThreeTimesGetsTheEventOnTheFourthAttemptUnderTheSameId() {
        receiver.answer("/flaky", 500, 500, 500, 200);
        String jobId = submit(editorJob(receiver.url("/flaky"), null));

        JsonNode job = api.awaitJob(KEY, jobId, j -> j.get("webhook_deliveries").size() == 4, WITHIN);

        assertThat(StreamSupport.stream(job.get("webhook_deliveries").spliterator(), false)
                .map(d -> d.get("attempt").asInt() + ":" + d.get("status_code").asInt()).toList())
                .containsExactly("1:500", "2:500", "3:500", "4:200");
        List<WebhookReceiver.Delivery> got = receiver.at("/flaky");
        assertThat(got).hasSize(4);
        assertThat(got).extracting(WebhookReceiver.Delivery::id).containsOnly(got.get(0).id());
        assertThat(got).extracting(d -> d.json().get("type").asText()).containsOnly("job.completed");
    }

    @Test
    void aReceiverThatNeverAnswersDoesNotDelayTheJobsEnd() throws IOException {
        try (BlackHole hole = new BlackHole()) {
            String jobId = submit(editorJob("http://127.0.0.1:" + hole.port() + "/", null));

            JsonNode ended = api.awaitTerminal(KEY, jobId, WITHIN);

            assertThat(ended.get("status").asText()).isEqualTo("succeeded");
            Eventually.await(WITHIN, "the receiver to be called", () -> hole.accepted() > 0);
            // the attempt hangs in its 10 s timeout, the job is done regardless
            assertThat(api.get("/v1/jobs/" + jobId, KEY).json().get("status").asText()).isEqualTo("succeeded");
            JsonNode job = awaitDeliveries(jobId, 1);
            assertThat(job.at("/webhook_deliveries/0/status_code").isNull()).isTrue();
        }
    }

    @Test
    void theLastAttemptsFailureIsSentToTheDeadLetterQueue() {
        receiver.answer("/down", 503);
        String jobId = submit(editorJob(receiver.url("/down"), null));
        try {
            awaitDeliveries(jobId, 1);
            // the twelfth attempt, as the queue brings it some 34 hours after the first
            WebhookMessage last = new WebhookMessage(jobId, "completed", "msg_" + jobId + "_completed",
                    WebhookDeliveryService.MAX_ATTEMPTS, Instant.now());
            t.stack.sqs().sendMessage(m -> m.queueUrl(t.stack.queueUrl("WebhookQueue")).messageBody(last.toJson()));

            api.awaitJob(KEY, jobId, j -> StreamSupport.stream(j.get("webhook_deliveries").spliterator(), false)
                    .anyMatch(d -> d.get("attempt").asInt() == 12 && d.get("status_code").asInt() == 503), WITHIN);
            String deadLetterUrl = t.stack.queueUrl("WebhookDeadLetterQueue");
            WebhookMessage dead = Eventually.await(WITHIN, "the dead letter", () -> t.stack.sqs()
                    .receiveMessage(m -> m.queueUrl(deadLetterUrl).maxNumberOfMessages(10)).messages().stream()
                    .map(m -> WebhookMessage.parse(m.body())).filter(m -> m.jobId().equals(jobId)).findFirst().orElse(null));
            assertThat(dead.attempt()).isEqualTo(12);
            assertThat(dead.webhookId()).isEqualTo("msg_" + jobId + "_completed");
        } finally {
            receiver.answer("/down", 204); // ends the natural retries still under way
        }
    }

    @Test
    void everyEventOfTheFilterIsSentAndRunningIsBestEffort() {
        String jobId = submit(editorJob(receiver.url("/all"), List.of("queued", "running", "completed")));

        api.awaitJob(KEY, jobId, j -> StreamSupport.stream(j.get("webhook_deliveries").spliterator(), false)
                .anyMatch(d -> d.get("event").asText().equals("completed") && d.get("status_code").asInt() == 204), WITHIN);

        List<String> types = receiver.at("/all").stream().map(d -> d.json().get("type").asText()).toList();
        assertThat(types).contains("job.queued", "job.completed").doesNotHaveDuplicates();
        assertThat(List.of("job.queued", "job.running", "job.completed")).containsAll(types);
    }

    @Test
    void replaySendsTheLastEventAgainUnderANewId() {
        String jobId = submit(editorJob(receiver.url("/replay"), null));
        api.awaitJob(KEY, jobId, j -> j.at("/webhook_deliveries/0/status_code").asInt() == 204, WITHIN);

        Api.Response r = api.post("/v1/jobs/" + jobId + "/webhook/replay", KEY, "{}");

        assertThat(r.status()).as(r.text()).isEqualTo(202);
        assertThat(r.json().get("event").asText()).isEqualTo("job.completed");
        Eventually.await(WITHIN, "the replay", () -> receiver.at("/replay").size() == 2);
        List<WebhookReceiver.Delivery> got = receiver.at("/replay");
        assertThat(got.get(1).id()).isEqualTo(r.json().get("webhook_id").asText()).isNotEqualTo(got.get(0).id());
        assertThat(got.get(1).json().at("/data/id").asText()).isEqualTo(jobId);
        String plain = submit(editorJob(null, null));
        assertThat(api.post("/v1/jobs/" + plain + "/webhook/replay", KEY, "{}").status()).isEqualTo(409);
        assertThat(api.post("/v1/jobs/" + jobId + "/webhook/replay", TestStack.GLOBEX_KEY, "{}").status()).isEqualTo(404);
    }

    @Test
    void theSecretIsStablePerTenantAndDiffersBetweenTenants() {
        String a = api.get("/v1/webhooks/secret", KEY).json().get("secret").asText();

        assertThat(a).matches("whsec_[A-Za-z0-9+/]{43}=");
        assertThat(api.get("/v1/webhooks/secret", KEY).json().get("secret").asText()).isEqualTo(a);
        assertThat(api.get("/v1/webhooks/secret", TestStack.GLOBEX_KEY).json().get("secret").asText()).isNotEqualTo(a);
        assertThat(api.get("/v1/webhooks/secret", null).status()).isEqualTo(401);
    }

    @Test
    void privateLinkLocalMetadataAndPlainHttpTargetsAreRefusedAtSubmitAndNothingIsStored() {
        String newestBefore = api.get("/v1/jobs?limit=1", KEY).json().at("/jobs/0/id").asText();
        List<String> refused = new ArrayList<>();
        for (String url : List.of("https://169.254.169.254/latest/meta-data/", "https://10.0.0.1/hook",
                "https://[fd00:ec2::254]/", "http://93.184.216.34/hook", "https://user:pw@example.com/", "not a url")) {
            Api.Response r = api.post("/v1/jobs", KEY, editorJob(url, null));
            assertThat(r.status()).as(url + ": " + r.text()).isEqualTo(400);
            JsonNode detail = r.json().at("/error/details/0");
            assertThat(detail.get("field").asText()).as(url).isEqualTo("webhook");
            refused.add(detail.get("code").asText());
        }
        assertThat(refused).containsOnly("url_not_allowed");

        ObjectNode noUrl = editorJob(null, List.of("completed"));
        assertThat(api.post("/v1/jobs", KEY, noUrl).json().at("/error/details/0/field").asText())
                .isEqualTo("webhook_events_filter");
        ObjectNode badFilter = editorJob(receiver.url("/x"), List.of("succeeded"));
        assertThat(api.post("/v1/jobs", KEY, badFilter).json().at("/error/details/0/field").asText())
                .isEqualTo("webhook_events_filter");
        assertThat(api.get("/v1/jobs?limit=1", KEY).json().at("/jobs/0/id").asText()).isEqualTo(newestBefore);
    }

    /** Accepts connections on 127.0.0.1 and never answers. */
    static final class BlackHole implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        private final List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();

        BlackHole() throws IOException {
            Thread accepter = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        held.add(server.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "black-hole");
            accepter.setDaemon(true);
            accepter.start();
        }

        int port() {
            return server.getLocalPort();
        }

        int accepted() {
            return held.size();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
