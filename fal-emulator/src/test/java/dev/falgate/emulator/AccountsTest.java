package dev.falgate.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Further fal accounts: their own key and user id, fal's signing keys, their own requests. */
class AccountsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String MODEL = "fal-ai/image-editing/color-correction";

    @RegisterExtension
    static final RunningEmulator running = RunningEmulator.with(FalEmulatorConfig.builder()
            .speed(1000).userId("main-user").build());
    private static final WebhookReceiver receiver = new WebhookReceiver();

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Test
    void anAccountCreatedOverHttpRunsUnderItsUserIdAndItsWebhookVerifiesWithFalsKeys()
            throws Exception {
        FalTestClient.Response created = running.fal().path("POST", "/_emulator/accounts", null);
        assertThat(created.status()).isEqualTo(201);
        String key = created.json().get("key").asText();
        String userId = created.json().get("user_id").asText();
        assertThat(key).isNotEqualTo(running.emulator().apiKey());
        assertThat(userId).isNotBlank().isNotEqualTo("main-user");

        String id = foreign(key).submit(MODEL, input(), receiver.url("/foreign")).json()
                .get("request_id").asText();
        WebhookReceiver.Delivery delivery = receiver.next(TIMEOUT);

        assertThat(delivery.header("X-Fal-Webhook-Request-Id")).isEqualTo(id);
        assertThat(delivery.header("X-Fal-Webhook-User-Id")).isEqualTo(userId);
        JwksVerifier jwks = new JwksVerifier(running.fal().get(
                running.emulator().jwksUrl().toString()).json());
        String timestamp = delivery.header("X-Fal-Webhook-Timestamp");
        String signature = delivery.header("X-Fal-Webhook-Signature");
        assertThat(jwks.verify(id, userId, timestamp, signature, delivery.body()))
                .as("signed with the foreign user id in the message").isTrue();
        assertThat(jwks.verify(id, "main-user", timestamp, signature, delivery.body()))
                .as("not valid for the main account").isFalse();
    }

    @Test
    void theMainAccountKeepsItsConfiguredUserId() throws Exception {
        assertThat(running.emulator().userId()).isEqualTo("main-user");
        running.fal().submit(MODEL, input(), receiver.url("/main"));

        assertThat(receiver.next(TIMEOUT).header("X-Fal-Webhook-User-Id")).isEqualTo("main-user");
    }

    @Test
    void eachJavaAccountIsDistinctAndAnUnknownKeyIsRefused() {
        Account first = running.emulator().createAccount();
        Account second = running.emulator().createAccount();

        assertThat(first.key()).isNotEqualTo(second.key());
        assertThat(first.userId()).isNotEqualTo(second.userId());
        assertThat(foreign(first.key()).submit(MODEL, input(), null).status()).isEqualTo(200);
        assertThat(foreign(first.key() + "x").submit(MODEL, input(), null).status()).isEqualTo(401);
    }

    @Test
    void anotherAccountsRequestIsNotFoundForStatusResultAndCancel() {
        FalTestClient stranger = foreign(running.emulator().createAccount().key());
        JsonNode submitted = running.fal().submit(MODEL, input(), null).json();
        running.fal().awaitCompleted(submitted, TIMEOUT);
        String statusUrl = submitted.get("status_url").asText();
        String resultUrl = submitted.get("response_url").asText();
        String cancelUrl = submitted.get("cancel_url").asText();

        assertThat(stranger.get(statusUrl).status()).isEqualTo(404);
        assertThat(stranger.get(resultUrl).status()).isEqualTo(404);
        FalTestClient.Response cancel = stranger.put(cancelUrl);
        assertThat(cancel.status()).isEqualTo(404);
        assertThat(cancel.json().get("status").asText()).isEqualTo("NOT_FOUND");

        assertThat(running.fal().get(statusUrl).status()).isEqualTo(200);
        assertThat(running.fal().get(resultUrl).status()).isEqualTo(200);
        assertThat(running.fal().put(cancelUrl).json().get("status").asText())
                .isEqualTo("ALREADY_COMPLETED");
    }

    @Test
    void theLedgerListsEveryAcceptedSubmitWithItsAccountAndWebhook() throws Exception {
        Account account = running.emulator().createAccount();
        int before = running.emulator().acceptedSubmits().size();
        String webhook = receiver.url("/ledger?token=abc").toString();

        String id = foreign(account.key()).submit(MODEL, input(), receiver.url("/ledger?token=abc"))
                .json().get("request_id").asText();
        String plain = running.fal().submit(MODEL, input(), null).json().get("request_id").asText();

        List<AcceptedSubmit> submits = running.emulator().acceptedSubmits();
        assertThat(submits).hasSize(before + 2);
        AcceptedSubmit withHook = submits.get(before);
        assertThat(withHook.requestId()).isEqualTo(id);
        assertThat(withHook.modelId()).isEqualTo(MODEL);
        assertThat(withHook.userId()).isEqualTo(account.userId());
        assertThat(withHook.webhookUrl()).isEqualTo(webhook);
        assertThat(withHook.acceptedAt()).isNotNull();
        assertThat(submits.get(before + 1).webhookUrl()).isNull();
        assertThat(submits.get(before + 1).userId()).isEqualTo("main-user");

        JsonNode overHttp = running.fal().path("GET", "/_emulator/requests", null).json()
                .get("requests");
        assertThat(overHttp.get(before).get("request_id").asText()).isEqualTo(id);
        assertThat(overHttp.get(before).get("user_id").asText()).isEqualTo(account.userId());
        assertThat(overHttp.get(before).get("webhook_url").asText()).isEqualTo(webhook);
        assertThat(overHttp.get(before).get("model_id").asText()).isEqualTo(MODEL);
        assertThat(overHttp.get(before).get("accepted_at").asText()).isNotBlank();
        assertThat(overHttp.get(before + 1).get("request_id").asText()).isEqualTo(plain);
        assertThat(overHttp.get(before + 1).get("webhook_url").isNull()).isTrue();
        assertThat(receiver.next(TIMEOUT).path()).as("its webhook, not left for another test")
                .isEqualTo("/ledger");
    }

    private static FalTestClient foreign(String key) {
        return running.fal().withKey(key);
    }

    private static ObjectNode input() {
        return Json.object().put("image_url", running.inputs().imageUrl());
    }
}
