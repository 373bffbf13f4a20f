package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
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

    @AfterEach
    void fullSpeed() {
        t.fal.setSpeed(TestStack.FAL_SPEED);
    }

    @Test
    void aDeadLetteredPollFailsItsJob() {
        t.fal.setSpeed(0.01); // the job stays pending at fal
        String ref = flows.upload(TestStack.GLOBEX_KEY, Images.png(16, 16), "image/png");
        String job = flows.submit(TestStack.GLOBEX_KEY, PipelineTest.MESH, Map.of("image_url", ref)).get("id").asText();
        t.stack.sqs().sendMessage(m -> m.queueUrl(t.stack.queueUrl("PollDeadLetterQueue"))
                .messageBody("{\"job_id\":\"" + job + "\",\"reason\":\"POLL\",\"attempt\":7}"));
        JsonNode failed = t.api.awaitTerminal(TestStack.GLOBEX_KEY, job, Duration.ofSeconds(30));
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.at("/error/code").asText()).isEqualTo("poll_failed");
        t.api.post("/v1/jobs/" + job + "/cancel", TestStack.GLOBEX_KEY, "{}");
    }
}
