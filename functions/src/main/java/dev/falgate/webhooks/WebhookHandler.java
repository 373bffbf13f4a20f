package dev.falgate.webhooks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.falgate.Services;
import dev.falgate.http.Log;
import dev.falgate.telemetry.LogContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The webhook queue's consumer: one delivery attempt per message; a message that throws comes back alone. */
public final class WebhookHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final WebhookDeliveryService deliveries;

    public WebhookHandler() {
        this(System.getenv());
    }

    public WebhookHandler(Map<String, String> env) {
        this(new Services(env));
    }

    private WebhookHandler(Services s) {
        this(s.webhookDeliveries());
        dev.falgate.Priming.webhooks(s, this);
    }

    public WebhookHandler(WebhookDeliveryService deliveries) {
        this.deliveries = deliveries;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        try (LogContext.Scope invocation = LogContext.begin(LogContext.requestId(context))) {
            return handleBatch(event, context);
        }
    }

    private SQSBatchResponse handleBatch(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            LogContext.nextMessage();
            try {
                deliveries.deliver(WebhookMessage.parse(message.getBody()));
            } catch (RuntimeException e) {
                Log.error(context, "webhook message " + message.getMessageId() + " failed", e);
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }
}
