package dev.falgate.poller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

/** The poller stops before its time runs out and hands back what it did not start. */
class PollerHandlerTest {
    private final PollService polls = mock(PollService.class);
    private final List<String> processed = new ArrayList<>();

    @Test
    void whenTimeRunsLowTheMessagesNotStartedAreHandedBackUnprocessed() {
        SQSEvent batch = batch(5);
        // 60 s left at the start (margin: the larger of 10 s and 20 % = 12 s); each message takes 20 s
        AtomicInteger remaining = new AtomicInteger(60_000);
        Context context = mock(Context.class);
        when(context.getRemainingTimeInMillis()).thenAnswer(i -> remaining.get());
        doAnswer(i -> {
            processed.add(i.<PollScheduler.Message>getArgument(0).jobId());
            remaining.addAndGet(-20_000);
            return null;
        }).when(polls).process(any());

        SQSBatchResponse r = new PollerHandler(polls).handleRequest(batch, context);

        assertThat(processed).containsExactly("job_0", "job_1", "job_2");
        assertThat(r.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("m-3", "m-4");
    }

    @Test
    void withTimeEnoughTheWholeBatchIsProcessed() {
        SQSBatchResponse r = new PollerHandler(polls).handleRequest(batch(5), contextWith(120_000));
        verify(polls, Mockito.times(5)).process(any());
        assertThat(r.getBatchItemFailures()).isEmpty();
    }

    @Test
    void aBatchThatArrivesWithLessThanTheMarginIsHandedBackWhole() {
        SQSBatchResponse r = new PollerHandler(polls).handleRequest(batch(3), contextWith(9_000));
        Mockito.verifyNoInteractions(polls);
        assertThat(r.getBatchItemFailures()).hasSize(3);
    }

    private static Context contextWith(int remainingMillis) {
        Context context = mock(Context.class);
        when(context.getRemainingTimeInMillis()).thenReturn(remainingMillis);
        return context;
    }

    private static SQSEvent batch(int size) {
        SQSEvent event = new SQSEvent();
        event.setRecords(IntStream.range(0, size).mapToObj(i -> {
            SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
            m.setMessageId("m-" + i);
            m.setBody("{\"job_id\":\"job_" + i + "\",\"reason\":\"POLL\",\"attempt\":0}");
            return m;
        }).toList());
        return event;
    }
}
