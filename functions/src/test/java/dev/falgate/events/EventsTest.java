package dev.falgate.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.auth.Authenticator;
import dev.falgate.callback.CallbackHandler;
import dev.falgate.callback.CallbackService;
import dev.falgate.catalog.Catalog;
import dev.falgate.config.SecretSource;
import dev.falgate.fal.WebhookTokens;
import dev.falgate.fal.WebhookVerifier;
import dev.falgate.http.ApiRequest;
import dev.falgate.http.Json;
import dev.falgate.jobs.JobRepository;
import dev.falgate.jobs.ResultRecorder;
import dev.falgate.poller.PollScheduler;
import dev.falgate.poller.PollService;
import dev.falgate.poller.PollerHandler;
import dev.falgate.proxy.FalProxyHandler;
import dev.falgate.read.JobQueries;
import dev.falgate.read.ReadHandler;
import dev.falgate.submit.InputValidator;
import dev.falgate.submit.Valid;
import dev.falgate.submit.SubmitHandler;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The sample events that `sam local invoke -e events/...` uses, fed to the real handlers. */
class EventsTest {
    static String event(String name) {
        String root = System.getProperty("falgate.repo.root", "..");
        return Path.of(root, "events", name).toAbsolutePath().toString();
    }

    @ParameterizedTest
    @CsvSource({
        "submit-job.json, submit", "create-upload.json, submit", "cancel-job.json, submit",
        "list-jobs.json, read", "get-job.json, read", "list-models.json, read",
        "fal-webhook.json, callback", "mint-token.json, proxy"})
    void everyHttpEventNamesARouteItsFunctionServes(String file, String function) {
        APIGatewayV2HTTPEvent e = EventLoader.loadApiGatewayHttpEvent(event(file));
        List<String> routes = switch (function) {
            case "submit" -> SubmitHandler.ROUTES;
            case "read" -> ReadHandler.ROUTES;
            case "proxy" -> FalProxyHandler.ROUTES;
            default -> CallbackHandler.ROUTES;
        };
        assertThat(routes).contains(e.getRouteKey());
        assertThat(e.getRequestContext().getStage()).isEqualTo("$default");
    }

    @Test
    void theSubmitEventsBase64BodyIsAValidJobForTheCatalog() {
        JsonNode body = new ApiRequest(EventLoader.loadApiGatewayHttpEvent(event("submit-job.json"))).jsonBody();
        InputValidator.Checked v = Valid.input(new InputValidator(Catalog.standard()), body);
        assertThat(v.model().id()).isEqualTo("fal-ai/post-processing/sharpen");
        assertThat(v.files()).singleElement().satisfies(f -> assertThat(f.value()).startsWith("data:image/png;base64,"));
    }

    @Test
    void theModelsEventListsTheCatalog() {
        Authenticator auth = mock(Authenticator.class);
        when(auth.tenant(any())).thenReturn("acme");
        ReadHandler handler = new ReadHandler(auth, mock(JobQueries.class), Catalog.standard());
        APIGatewayV2HTTPResponse r = handler.handleRequest(EventLoader.loadApiGatewayHttpEvent(event("list-models.json")), null);
        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(Json.parse(r.getBody()).get("models")).hasSize(Catalog.standard().models().size());
    }

    @Test
    void theWebhookEventsPlaceholderSignatureIsRefusedAndChangesNothing() throws Exception {
        var jwks = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        var key = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        jwks.createContext("/jwks", ex -> {
            byte[] enc = key.getPublic().getEncoded();
            byte[] body = ("{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + java.util.Base64.getUrlEncoder()
                    .withoutPadding().encodeToString(java.util.Arrays.copyOfRange(enc, enc.length - 32, enc.length)) + "\"}]}").getBytes();
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        jwks.start();
        try {
            APIGatewayV2HTTPEvent e = EventLoader.loadApiGatewayHttpEvent(event("fal-webhook.json"));
            long ts = Long.parseLong(e.getHeaders().get("x-fal-webhook-timestamp"));
            WebhookVerifier verifier = new WebhookVerifier(URI.create("http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks"),
                    Clock.fixed(java.time.Instant.ofEpochSecond(ts), java.time.ZoneOffset.UTC));
            JobRepository jobs = mock(JobRepository.class);
            ResultRecorder results = mock(ResultRecorder.class);
            PollScheduler polls = mock(PollScheduler.class);
            WebhookTokens tokens = new WebhookTokens(SecretSource.of("falgate-sample-webhook-secret"));
            CallbackHandler handler = new CallbackHandler(new CallbackService(tokens, Optional.empty(), verifier, jobs,
                    results, polls, URI.create("https://queue.fal.run"), Clock.systemUTC()));
            APIGatewayV2HTTPResponse r = handler.handleRequest(e, null);
            assertThat(r.getStatusCode()).isEqualTo(401);
            assertThat(Json.parse(r.getBody()).at("/error/code").asText()).isEqualTo("invalid_signature");
            verifyNoInteractions(jobs, results, polls);
        } finally {
            jwks.stop(0);
        }
    }

    @Test
    void aPollBatchReportsOnlyTheFailedMessage() {
        SQSEvent batch = EventLoader.loadSQSEvent(event("poll-batch.json"));
        PollService polls = mock(PollService.class);
        String failing = Json.parse(batch.getRecords().get(1).getBody()).get("job_id").asText();
        doThrow(new IllegalStateException("S3 is down")).when(polls).process(argThat(m -> m != null && m.jobId().equals(failing)));
        SQSBatchResponse r = new PollerHandler(polls).handleRequest(batch, null);
        assertThat(r.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(batch.getRecords().get(1).getMessageId());
        verify(polls, org.mockito.Mockito.times(2)).process(any());
    }

    @Test
    void aWebhookMessageReachesTheDeliveryServiceAsSent() {
        SQSEvent batch = EventLoader.loadSQSEvent(event("webhook-delivery.json"));
        var deliveries = mock(dev.falgate.webhooks.WebhookDeliveryService.class);

        SQSBatchResponse r = new dev.falgate.webhooks.WebhookHandler(deliveries).handleRequest(batch, null);

        assertThat(r.getBatchItemFailures()).isEmpty();
        verify(deliveries).deliver(new dev.falgate.webhooks.WebhookMessage("job_01JDQ7V3K8Y9ZC2M4N6P8R0T2W", "completed",
                "msg_job_01JDQ7V3K8Y9ZC2M4N6P8R0T2W_completed", 2, java.time.Instant.ofEpochMilli(1795534205000L)));
    }

    @Test
    void handlersHaveTheTwoConstructorsTheRunnersUse() throws Exception {
        for (Class<?> c : List.of(SubmitHandler.class, ReadHandler.class, CallbackHandler.class, PollerHandler.class,
                dev.falgate.poller.DeadLetterHandler.class, dev.falgate.webhooks.WebhookHandler.class)) {
            assertThat(c.getConstructor()).isNotNull();
            assertThat(c.getConstructor(Map.class)).isNotNull();
        }
    }
}
