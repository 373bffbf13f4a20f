package dev.falgate.local.runtime;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.falgate.local.template.SqsEventDef;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Lambda's SQS event source mapping for one {@code SQS} event: long-polls the queue, hands each
 * batch to the function as an {@link SQSEvent} and deletes what succeeded. With
 * {@code ReportBatchItemFailures} the messages named in {@link SQSBatchResponse} stay (the
 * visibility timeout redelivers them; the queue's RedrivePolicy moves them to the DLQ in the end);
 * without it a batch succeeds or fails whole. A handler that throws or times out deletes nothing.
 * As many batches run at once as the event's {@code ScalingConfig.MaximumConcurrency} allows (one
 * poller thread each; one when the template sets none).
 *
 * <p>Receives wait up to 20 s, as Lambda's pollers do: an idle queue costs one request per poller
 * every 20 s, not every second. Stopping does not wait for a receive: a poller that gets messages
 * after the stop makes them visible again at once. It waits only for batches already handed to
 * the function.
 */
public final class SqsEventSource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqsEventSource.class);
    /** Lambda's long poll. */
    private static final int WAIT_SECONDS = 20;
    private static final int SQS_MAX_BATCH = 10;
    private static final Duration ERROR_PAUSE = Duration.ofSeconds(1);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final SqsEventDef event;
    private final String queueUrl;
    private final String region;
    private final SqsClient sqs;
    private final FunctionRuntime function;
    private final List<Thread> threads;
    private volatile boolean running = true;
    /** Held (shared) while a batch is in the function; stopping takes it exclusively, so it waits for those only. */
    private final ReentrantReadWriteLock batches = new ReentrantReadWriteLock();

    private SqsEventSource(SqsEventDef event, String queueUrl, String region, SqsClient sqs, FunctionRuntime function) {
        this.event = event;
        this.queueUrl = queueUrl;
        this.region = region;
        this.sqs = sqs;
        this.function = function;
        this.threads = java.util.stream.IntStream.range(0, Math.max(1, event.maximumConcurrency())).mapToObj(i -> {
            Thread thread = new Thread(this::pollUntilStopped, "falgate-sqs-" + event.functionLogicalId() + "-"
                    + event.eventName() + "-" + i);
            thread.setDaemon(true);
            return thread;
        }).toList();
    }

    public static SqsEventSource start(SqsEventDef event, String queueUrl, String region, SqsClient sqs,
            FunctionRuntime function) {
        SqsEventSource source = new SqsEventSource(event, queueUrl, region, sqs, function);
        source.threads.forEach(Thread::start);
        return source;
    }

    private void pollUntilStopped() {
        while (running) {
            try {
                pollOnce();
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("polling {} for {} failed; retrying", queueUrl, event.functionLogicalId(), e);
                    pause();
                }
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(ERROR_PAUSE.toMillis());
        } catch (InterruptedException e) {
            running = false;
            Thread.currentThread().interrupt();
        }
    }

    void pollOnce() {
        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl)
                .waitTimeSeconds(WAIT_SECONDS)
                .maxNumberOfMessages(Math.min(event.batchSize(), SQS_MAX_BATCH))
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                .messageAttributeNames("All")).messages();
        if (messages.isEmpty()) {
            return;
        }
        batches.readLock().lock();
        try {
            if (running) {
                handle(messages);
                return;
            }
        } finally {
            batches.readLock().unlock();
        }
        release(messages);
    }

    /** Messages received after the stop: visible again at once, so a restart on the same state need not wait for their timeout. */
    private void release(List<Message> messages) {
        try {
            sqs.changeMessageVisibilityBatch(r -> r.queueUrl(queueUrl).entries(messages.stream()
                    .map(m -> ChangeMessageVisibilityBatchRequestEntry.builder().id(m.messageId())
                            .receiptHandle(m.receiptHandle()).visibilityTimeout(0).build())
                    .toList()));
        } catch (RuntimeException e) {
            LOG.debug("could not release {} message(s) received from {} after the stop", messages.size(), queueUrl, e);
        }
    }

    private void handle(List<Message> messages) {
        Object result;
        try {
            result = function.invoke(toEvent(messages));
        } catch (FunctionRuntime.InvocationFailure failure) {
            LOG.warn("{} failed a batch of {} from {}; nothing deleted: {}", event.functionLogicalId(),
                    messages.size(), queueUrl, failure.getMessage());
            return;
        }
        delete(succeeded(messages, result));
    }

    /** Lambda's rules: an unknown or empty item identifier fails the whole batch. */
    private List<Message> succeeded(List<Message> messages, Object result) {
        if (!event.reportBatchItemFailures() || !(result instanceof SQSBatchResponse response)
                || response.getBatchItemFailures() == null) {
            return messages;
        }
        Set<String> batchIds = messages.stream().map(Message::messageId).collect(Collectors.toSet());
        Set<String> failed = response.getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .map(id -> id == null ? "" : id)
                .collect(Collectors.toSet());
        if (!batchIds.containsAll(failed)) {
            LOG.warn("{} reported unknown batch item failures {}; the whole batch is retried",
                    event.functionLogicalId(), failed);
            return List.of();
        }
        return messages.stream().filter(m -> !failed.contains(m.messageId())).toList();
    }

    private void delete(List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        List<DeleteMessageBatchRequestEntry> entries = messages.stream()
                .map(m -> DeleteMessageBatchRequestEntry.builder().id(m.messageId()).receiptHandle(m.receiptHandle())
                        .build())
                .toList();
        var response = sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
        if (response.hasFailed() && !response.failed().isEmpty()) {
            LOG.warn("could not delete {} handled messages from {}: {}", response.failed().size(), queueUrl,
                    response.failed());
        }
    }

    SQSEvent toEvent(List<Message> messages) {
        SQSEvent sqsEvent = new SQSEvent();
        sqsEvent.setRecords(messages.stream().map(this::toRecord).toList());
        return sqsEvent;
    }

    private SQSEvent.SQSMessage toRecord(Message message) {
        SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
        record.setMessageId(message.messageId());
        record.setReceiptHandle(message.receiptHandle());
        record.setBody(message.body());
        record.setMd5OfBody(message.md5OfBody());
        record.setMd5OfMessageAttributes(message.md5OfMessageAttributes());
        record.setAttributes(new HashMap<>(message.attributesAsStrings()));
        record.setMessageAttributes(messageAttributes(message.messageAttributes()));
        record.setEventSource("aws:sqs");
        record.setEventSourceArn(event.queueArn());
        record.setAwsRegion(region);
        return record;
    }

    private static Map<String, SQSEvent.MessageAttribute> messageAttributes(Map<String, MessageAttributeValue> values) {
        Map<String, SQSEvent.MessageAttribute> attributes = new HashMap<>();
        values.forEach((name, value) -> {
            SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
            attribute.setDataType(value.dataType());
            attribute.setStringValue(value.stringValue());
            if (value.binaryValue() != null) {
                attribute.setBinaryValue(value.binaryValue().asByteBuffer());
            }
            attribute.setStringListValues(value.stringListValues());
            attribute.setBinaryListValues(value.binaryListValues().stream().map(b -> b.asByteBuffer()).toList());
            attributes.put(name, attribute);
        });
        return attributes;
    }

    /** Asks the loop to stop; {@link #close()} also waits for it. */
    void requestStop() {
        running = false;
    }

    /** Waits for the batches in the function (no half-handled batch), not for receives still waiting. */
    @Override
    public void close() {
        requestStop();
        try {
            if (batches.writeLock().tryLock(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                batches.writeLock().unlock();
            } else {
                LOG.warn("{}: a batch from {} was still in the function after {}", event.functionLogicalId(),
                        queueUrl, STOP_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
