package dev.falgate.webhooks;

import dev.falgate.jobs.Job;
import dev.falgate.jobs.JobEventSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The webhook queue: events leave the jobs' outboxes onto it, failed attempts come back on it
 * after their backoff, and an event that failed its last attempt goes to its dead-letter queue.
 */
public final class WebhookQueue implements JobEventSink {
    /** SQS's longest message delay. */
    static final Duration MAX_SQS_DELAY = Duration.ofMinutes(15);

    /** Built on first send: a function that may send never pays for the client at INIT. */
    private final Supplier<SqsClient> sqs;
    private final String queueUrl;
    private final String deadLetterUrl;
    private final Clock clock;

    public WebhookQueue(SqsClient sqs, String queueUrl, String deadLetterUrl, Clock clock) {
        this(() -> sqs, queueUrl, deadLetterUrl, clock);
    }

    /** @param sqs called on each send, so it must cache what it builds */
    public WebhookQueue(Supplier<SqsClient> sqs, String queueUrl, String deadLetterUrl, Clock clock) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.deadLetterUrl = deadLetterUrl;
        this.clock = clock;
    }

    @Override
    public void publish(Job job) {
        Instant now = clock.instant();
        job.webhookOutbox().forEach(event -> send(WebhookMessage.first(job.id(), event, now)));
    }

    /** Sends the message to be received at its {@code notBefore}, or after 15 minutes if that is later. */
    public void send(WebhookMessage message) {
        int delay = delaySeconds(message.notBefore(), clock.instant());
        sqs.get().sendMessage(r -> r.queueUrl(queueUrl).messageBody(message.toJson()).delaySeconds(delay));
    }

    /** Whole seconds until {@code due}, rounded up (never early), at most SQS's 15 minutes. */
    static int delaySeconds(Instant due, Instant now) {
        long waitMs = Math.max(0, due.toEpochMilli() - now.toEpochMilli());
        return (int) Math.min(MAX_SQS_DELAY.toSeconds(), (waitMs + 999) / 1000);
    }

    /** Gives the event up: on the dead-letter queue, for an operator to look at or redrive. */
    public void deadLetter(WebhookMessage message) {
        sqs.get().sendMessage(r -> r.queueUrl(deadLetterUrl).messageBody(message.toJson()));
    }
}
