package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A poll message that failed on every delivery lands in the dead-letter queue (the template's
 * RedrivePolicy; ElasticMQ honours it, see SqsEventSourceTest), and its job is failed there,
 * never silently dropped.
 */
class DeadLetterTest {
    private final TestStack t = TestStack.get();
    private final PipelineTest flows = new PipelineTest();

    private final WebhookReceiver receiver = new WebhookReceiver();

    DeadLetterTest() throws IOException {
    }

    @AfterEach
    void fullSpeed() {
        t.fal.setSpeed(TestStack.FAL_SPEED);
        receiver.close();
    }

    @Test
    void aDeadLetteredPollFailsItsJob() {
        t.fal.setSpeed(0.01); // the job stays pending at fal
        String ref = flows.upload(TestStack.GLOBEX_KEY, Images.png(16, 16), "image/png");
        // with a partner webhook for the end: the dead-letter handler's failure is announced too
        ObjectNode body = Api.JSON.createObjectNode().put("model", PipelineTest.MESH).put("webhook", receiver.url("/dead"));
        body.putObject("input").put("image_url", ref);
        body.putArray("webhook_events_filter").add("completed");
        Api.Response submitted = t.api.post("/v1/jobs", TestStack.GLOBEX_KEY, body);
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
        String job = submitted.json().get("id").asText();
        t.stack.sqs().sendMessage(m -> m.queueUrl(t.stack.queueUrl("PollDeadLetterQueue"))
                .messageBody("{\"job_id\":\"" + job + "\",\"reason\":\"POLL\",\"attempt\":7}"));
        JsonNode failed = t.api.awaitTerminal(TestStack.GLOBEX_KEY, job, Duration.ofSeconds(30));
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.at("/error/code").asText()).isEqualTo("poll_failed");
        JsonNode announced = t.api.awaitJob(TestStack.GLOBEX_KEY, job, j -> j.get("webhook_deliveries").size() == 1
                && j.at("/webhook_deliveries/0/status_code").asInt() == 204, Duration.ofSeconds(30));
        assertThat(announced.at("/webhook_deliveries/0/event").asText()).isEqualTo("completed");
        t.api.post("/v1/jobs/" + job + "/cancel", TestStack.GLOBEX_KEY, "{}");
    }
}
