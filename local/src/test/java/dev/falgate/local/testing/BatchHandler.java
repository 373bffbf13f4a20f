package dev.falgate.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every message it sees and reports those whose body starts with "fail" as failed items. */
public final class BatchHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    /** What the stack's instance saw: it is created by the stack, so the test reads a static. */
    public static final List<SQSEvent.SQSMessage> SEEN = new CopyOnWriteArrayList<>();

    public BatchHandler() {
        this(System.getenv());
    }

    public BatchHandler(Map<String, String> env) {
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        SEEN.addAll(event.getRecords());
        return new SQSBatchResponse(event.getRecords().stream()
                .filter(m -> m.getBody().startsWith("fail"))
                .map(m -> new SQSBatchResponse.BatchItemFailure(m.getMessageId()))
                .toList());
    }
}
