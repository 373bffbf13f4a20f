package dev.falgate.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.falgate.local.LocalStack;
import dev.falgate.local.LocalStackConfig;
import dev.falgate.local.template.FunctionDef;
import dev.falgate.local.template.SqsEventDef;
import dev.falgate.local.testing.BarrierHandler;
import dev.falgate.local.testing.BatchHandler;
import dev.falgate.local.testing.Eventually;
import dev.falgate.local.testing.TestPaths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The SQS event source mapping with the test template's WorkQueue (visibility 1 s, two receives,
 * then WorkDeadLetterQueue) and BatchHandler, which fails the items whose body starts with "fail".
 */
class SqsEventSourceTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static LocalStack stack;

    @BeforeAll
    static void start() {
        BatchHandler.SEEN.clear();
        stack = LocalStack.start(LocalStackConfig.builder(TestPaths.testTemplate()).build());
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void deletesTheSucceededItemsAndLetsTheFailedOneRedriveToTheDeadLetterQueue() {
        String work = stack.queueUrl("WorkQueue");
        String dlq = stack.queueUrl("WorkDeadLetterQueue");
        stack.sqs().sendMessageBatch(r -> r.queueUrl(work).entries(
                e -> e.id("1").messageBody("ok-1").messageAttributes(Map.of("kind",
                        MessageAttributeValue.builder().dataType("String").stringValue("test").build())),
                e -> e.id("2").messageBody("fail-1"),
                e -> e.id("3").messageBody("ok-2")));

        Message dead = Eventually.await(DEADLINE, "fail-1 in the DLQ", () -> stack.sqs().receiveMessage(r -> r
                .queueUrl(dlq).waitTimeSeconds(1)).messages().stream().findFirst().orElse(null));

        assertThat(dead.body()).isEqualTo("fail-1");
        assertThat(bodiesSeen()).as("ok items deleted after one delivery; the failed one delivered twice")
                .containsExactlyInAnyOrder("ok-1", "ok-2", "fail-1", "fail-1");
        assertThat(receiveCounts("fail-1")).containsExactly("1", "2");
        assertThat(messagesLeft(work)).isZero();
    }

    @Test
    void buildsSqsEventRecordsLikeLambda() {
        String work = stack.queueUrl("WorkQueue");
        stack.sqs().sendMessage(r -> r.queueUrl(work).messageBody("ok-shape").messageAttributes(Map.of("kind",
                MessageAttributeValue.builder().dataType("String").stringValue("shape").build())));

        SQSEvent.SQSMessage record = Eventually.await(DEADLINE, "ok-shape handled", () -> BatchHandler.SEEN.stream()
                .filter(m -> m.getBody().equals("ok-shape")).findFirst().orElse(null));

        assertThat(record.getEventSource()).isEqualTo("aws:sqs");
        assertThat(record.getEventSourceArn()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:falgate-WorkQueue");
        assertThat(record.getAwsRegion()).isEqualTo("us-east-1");
        assertThat(record.getMessageId()).isNotBlank();
        assertThat(record.getReceiptHandle()).isNotBlank();
        assertThat(record.getMd5OfBody()).hasSize(32);
        assertThat(record.getAttributes()).containsKeys("ApproximateReceiveCount", "SentTimestamp",
                "ApproximateFirstReceiveTimestamp");
        assertThat(record.getMessageAttributes().get("kind").getStringValue()).isEqualTo("shape");
        assertThat(record.getMessageAttributes().get("kind").getDataType()).isEqualTo("String");
    }

    /** Receives wait 20 s, as Lambda's; a message whose delay ends meanwhile must not wait for the next one. */
    @Test
    void handsOverADelayedMessageWhenItsDelayEndsNotWhenTheWaitingReceiveDoes() {
        String work = stack.queueUrl("WorkQueue");
        long sent = System.nanoTime();
        stack.sqs().sendMessage(r -> r.queueUrl(work).messageBody("ok-delayed").delaySeconds(1));

        Eventually.await(Duration.ofSeconds(10), "ok-delayed handled", () -> BatchHandler.SEEN.stream()
                .filter(m -> m.getBody().equals("ok-delayed")).findFirst().orElse(null));

        assertThat(Duration.ofNanos(System.nanoTime() - sent)).as("handed over after its 1 s delay")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    /**
     * A stopped source's receive may still be waiting in the queue; what it gets there must not
     * stay hidden for the visibility timeout (a minute here; up to 12 on the poll queue), or a
     * restart on the same state would wait that long for it.
     */
    @Test
    void aReceiveThatOutlivesItsStopReleasesWhatItGetsUnhandled() {
        String queue = stack.sqs().createQueue(r -> r.queueName("released")
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "60"))).queueUrl();
        SqsEventDef event = new SqsEventDef("WorkFunction", "Released", "ReleasedQueue",
                "arn:aws:sqs:us-east-1:000000000000:released", 10, true, 1);
        FunctionDef function = new FunctionDef("WorkFunction", "work", BatchHandler.class.getName(),
                "handleRequest", 30, 128, Map.of(), List.of(), List.of(event), List.of());
        java.util.concurrent.ExecutorService workers = java.util.concurrent.Executors.newFixedThreadPool(1);
        try (SqsEventSource source = SqsEventSource.start(event, queue, "us-east-1", stack.sqs(), FunctionRuntime.create(
                function, "arn:aws:lambda:us-east-1:000000000000:function:work", Map.of(), workers))) {
            source.requestStop();
            stack.sqs().sendMessage(r -> r.queueUrl(queue).messageBody("ok-after-stop"));
            source.pollOnce(); // a receive of the stopped source (its own thread's may take the message first: it releases too)

            List<Message> again = stack.sqs().receiveMessage(r -> r.queueUrl(queue).waitTimeSeconds(5)
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();

            assertThat(again).as("visible again at once, not after the queue's minute").hasSize(1);
            assertThat(again.get(0).body()).isEqualTo("ok-after-stop");
            assertThat(Integer.parseInt(again.get(0).attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)))
                    .as("received by the stopped source first").isGreaterThanOrEqualTo(2);
            assertThat(BatchHandler.SEEN).as("never handed to the function").noneMatch(m -> m.getBody().equals("ok-after-stop"));
        } finally {
            workers.shutdownNow();
        }
    }

    @Test
    void runsAsManyBatchesAtOnceAsItsMaximumConcurrency() throws Exception {
        String queue = stack.sqs().createQueue(r -> r.queueName("parallel")).queueUrl();
        SqsEventDef event = new SqsEventDef("ParallelFunction", "Parallel", "ParallelQueue",
                "arn:aws:sqs:us-east-1:000000000000:parallel", 1, true, BarrierHandler.PARTIES);
        FunctionDef function = new FunctionDef("ParallelFunction", "parallel", BarrierHandler.class.getName(),
                "handleRequest", 30, 128, Map.of(), List.of(), List.of(event), List.of());
        java.util.concurrent.ExecutorService workers = java.util.concurrent.Executors.newFixedThreadPool(4);
        try (SqsEventSource source = SqsEventSource.start(event, queue, "us-east-1", stack.sqs(),
                FunctionRuntime.create(function, "arn:aws:lambda:us-east-1:000000000000:function:parallel", Map.of(),
                        workers))) {
            for (int i = 0; i < BarrierHandler.PARTIES; i++) {
                int n = i;
                stack.sqs().sendMessage(r -> r.queueUrl(queue).messageBody("meet-" + n));
            }
            Eventually.await(DEADLINE, "every batch past the barrier", () -> BarrierHandler.MET.get()
                    + BarrierHandler.GAVE_UP.get() >= BarrierHandler.PARTIES ? true : null);
        } finally {
            workers.shutdownNow();
        }
        assertThat(BarrierHandler.MET).as("batches in the handler at once").hasValue(BarrierHandler.PARTIES);
        assertThat(BarrierHandler.GAVE_UP).hasValue(0);
    }

    private static List<String> bodiesSeen() {
        return BatchHandler.SEEN.stream().map(SQSEvent.SQSMessage::getBody).filter(b -> b.matches("(ok|fail)-\\d"))
                .toList();
    }

    private static List<String> receiveCounts(String body) {
        return BatchHandler.SEEN.stream().filter(m -> m.getBody().equals(body))
                .map(m -> m.getAttributes().get("ApproximateReceiveCount")).sorted().toList();
    }

    private static int messagesLeft(String queueUrl) {
        Map<String, String> attributes = stack.sqs().getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributesAsStrings();
        return attributes.values().stream().mapToInt(Integer::parseInt).sum();
    }
}
