package dev.falgate.poller;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.config.Settings;
import dev.falgate.http.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Puts poll messages on the queue. Each next poll is a fresh delayed message, so a 3D job
 * that takes many polls never exhausts the queue's receive count. FINISH messages (copying a
 * result's outputs, which can take minutes) go to a queue of their own, so they never share
 * a short batch with light polls.
 */
public final class PollScheduler {
    /** Polls come at most this far apart while a job is pending. */
    public static final Duration MAX_INTERVAL = Duration.ofSeconds(60);
    private static final Duration MIN_INTERVAL = Duration.ofSeconds(5);
    /** SQS takes at most this many messages a SendMessageBatch. */
    private static final int BATCH = 10;

    public enum Reason { POLL, FINISH }

    public record Message(String jobId, Reason reason, int attempt) {
        static Message parse(String body) {
            JsonNode n = Json.parse(body);
            return new Message(n.path("job_id").asText(), Reason.valueOf(n.path("reason").asText("POLL")),
                    n.path("attempt").asInt(0));
        }

        String toJson() {
            return Json.write(Json.object().put("job_id", jobId).put("reason", reason.name()).put("attempt", attempt));
        }
    }

    /** Built on first send: a function that may send never pays for the client at INIT. */
    private final Supplier<SqsClient> sqs;
    private final String pollQueueUrl;
    private final String finishQueueUrl;
    private final Settings settings;

    public PollScheduler(SqsClient sqs, String pollQueueUrl, String finishQueueUrl, Settings settings) {
        this(() -> sqs, pollQueueUrl, finishQueueUrl, settings);
    }

    /** @param sqs called on each send, so it must cache what it builds */
    public PollScheduler(Supplier<SqsClient> sqs, String pollQueueUrl, String finishQueueUrl, Settings settings) {
        this.sqs = sqs;
        this.pollQueueUrl = pollQueueUrl;
        this.finishQueueUrl = finishQueueUrl;
        this.settings = settings;
    }

    /** The first poll of a job, due when a job of its category usually ends. */
    public void first(String jobId, int typicalSeconds) {
        Duration d = Duration.ofSeconds(typicalSeconds);
        send(new Message(jobId, Reason.POLL, 0), d.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : d);
    }

    /** The next poll after {@code attempt} polls: 5 s doubling, never over 60 s. */
    public void next(String jobId, Reason reason, int attempt) {
        send(new Message(jobId, reason, attempt + 1), backoff(attempt));
    }

    /** A result is recorded: copy its outputs now. */
    public void finishNow(String jobId) {
        send(new Message(jobId, Reason.FINISH, 0), Duration.ZERO);
    }

    /** Poll at once (a webhook said the job is done but carried no payload). */
    public void pollNow(String jobId) {
        send(new Message(jobId, Reason.POLL, 0), Duration.ZERO);
    }

    /** Poll these jobs at once (the sweeper): SendMessageBatch, ten a call. */
    public void pollNow(List<String> jobIds) {
        for (int from = 0; from < jobIds.size(); from += BATCH) {
            List<String> batch = jobIds.subList(from, Math.min(jobIds.size(), from + BATCH));
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                String body = new Message(batch.get(i), Reason.POLL, 0).toJson();
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(body).build());
            }
            var sent = sqs.get().sendMessageBatch(r -> r.queueUrl(pollQueueUrl).entries(entries));
            if (sent.hasFailed() && !sent.failed().isEmpty()) {
                // the jobs stay in the sweep index (it is updated after this): the next run polls them
                throw new IllegalStateException("the poll queue refused " + sent.failed().size() + " poll(s): "
                        + sent.failed().get(0).message());
            }
        }
    }

    static Duration backoff(int attempt) {
        long seconds = MIN_INTERVAL.toSeconds() << Math.min(attempt, 4);
        return Duration.ofSeconds(Math.min(seconds, MAX_INTERVAL.toSeconds()));
    }

    private void send(Message message, Duration delay) {
        long millis = settings.scaled(delay).toMillis();
        int seconds = (int) Math.min(900, (millis + 999) / 1000);
        String queueUrl = message.reason() == Reason.FINISH ? finishQueueUrl : pollQueueUrl;
        sqs.get().sendMessage(r -> r.queueUrl(queueUrl).messageBody(message.toJson()).delaySeconds(seconds));
    }
}
