package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falgate.http.Json;
import dev.falgate.jobs.Ids;
import dev.falgate.jobs.Job;
import dev.falgate.jobs.JobRepository;
import dev.falgate.jobs.JobStatus;
import dev.falgate.jobs.WebhookSubscription;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The outbox on DynamoDB Local: events a stored transition made but could not enqueue (the
 * queue down, or a crash after the write) stay on the job, and the next path to update the job
 * relays them before its own change; nothing is lost and a transition is published once.
 */
class WebhookOutboxTest {
    private final TestStack t = TestStack.get();

    @Test
    void eventsNotEnqueuedAfterTheirWriteAreRelayedByTheNextUpdate() {
        String table = t.stack.jobsTable().orElseThrow();
        JobRepository queueDown = new JobRepository(t.stack.dynamoDb(), table, 30, job -> {
            throw new IllegalStateException("the webhook queue is down");
        });
        List<String> published = new ArrayList<>();
        JobRepository queueUp = new JobRepository(t.stack.dynamoDb(), table, 30, job -> published.addAll(job.webhookOutbox()));
        Instant longAgo = Instant.now().minus(Duration.ofMinutes(2));
        // its own tenant, so no other test lists it
        Job job = Job.create(new Ids(Clock.systemUTC()).job(), "outbox-test", PipelineTest.EDITOR, Json.object(), null,
                longAgo, longAgo.plus(Duration.ofHours(1)), null);
        job.subscribe(new WebhookSubscription("https://hooks.example/x", Set.of("queued", "completed")));

        queueDown.create(job);

        assertThat(queueUp.find(job.id()).orElseThrow().webhookOutbox()).containsExactly("queued");
        Job canceled = queueUp.update(job.id(), j -> j.moveTo(JobStatus.CANCELED, "cancel", Instant.now())).orElseThrow();
        assertThat(canceled.status()).isEqualTo(JobStatus.CANCELED);
        assertThat(published).containsExactly("queued", "completed");
        assertThat(queueUp.find(job.id()).orElseThrow().webhookOutbox()).isEmpty();
        queueUp.update(job.id(), j -> j.moveTo(JobStatus.FAILED, "poller", Instant.now()));
        assertThat(published).containsExactly("queued", "completed");
    }

    /** The crash case: a job stored terminal with its event not enqueued; the redelivered poll relays it. */
    @Test
    void aRedeliveredPollRelaysTheEndOfAJobWhoseWriterDiedBeforeEnqueueing() throws Exception {
        String table = t.stack.jobsTable().orElseThrow();
        JobRepository queueDown = new JobRepository(t.stack.dynamoDb(), table, 30, job -> {
            throw new IllegalStateException("the writer died here");
        });
        Instant longAgo = Instant.now().minus(Duration.ofMinutes(2));
        Job job = Job.create(new Ids(Clock.systemUTC()).job(), "outbox-test", PipelineTest.EDITOR, Json.object(), null,
                longAgo, longAgo.plus(Duration.ofHours(1)), null);
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            job.subscribe(new WebhookSubscription(receiver.url("/relayed"), Set.of("completed")));
            job.moveTo(JobStatus.CANCELED, "cancel", longAgo);
            queueDown.create(job);

            t.stack.sqs().sendMessage(m -> m.queueUrl(t.stack.queueUrl("PollQueue"))
                    .messageBody("{\"job_id\": \"" + job.id() + "\", \"reason\": \"POLL\", \"attempt\": 1}"));

            dev.falgate.local.testing.Eventually.await(Duration.ofSeconds(60), "the relayed event",
                    () -> receiver.at("/relayed").size() == 1);
            assertThat(receiver.at("/relayed").get(0).json().at("/data/status").asText()).isEqualTo("canceled");
            assertThat(receiver.at("/relayed").get(0).id()).isEqualTo("msg_" + job.id() + "_completed");
        }
    }
}
