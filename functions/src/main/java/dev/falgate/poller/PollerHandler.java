package dev.falgate.poller;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.falgate.Services;
import dev.falgate.http.Log;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The poll queue's consumer; a message that fails is reported alone and comes back later. */
public final class PollerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final PollService polls;

    public PollerHandler() {
        this(System.getenv());
    }

    public PollerHandler(Map<String, String> env) {
        this(new Services(env).pollService());
    }

    public PollerHandler(PollService polls) {
        this.polls = polls;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            try {
                polls.process(PollScheduler.Message.parse(message.getBody()));
            } catch (RuntimeException e) {
                Log.error(context, "poll message " + message.getMessageId() + " failed", e);
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }
}
