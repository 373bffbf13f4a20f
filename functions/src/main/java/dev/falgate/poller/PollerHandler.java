package dev.falgate.poller;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.falgate.Services;
import dev.falgate.http.Log;
import dev.falgate.telemetry.LogContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The consumer of the poll queue and of the finish queue (one handler, two functions: FINISH
 * messages are dispatched on their reason). A message that fails is reported alone and comes
 * back later. When the function's time runs low the messages not yet started are handed back
 * unprocessed, so a timeout never fails (and re-runs) a whole batch.
 */
public final class PollerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    /** Never start a message with less than this left... */
    static final Duration MIN_MARGIN = Duration.ofSeconds(10);
    /** ...or with less than this share of the time the invocation started with. */
    static final double MARGIN_SHARE = 0.2;

    private final PollService polls;

    public PollerHandler() {
        this(System.getenv());
    }

    public PollerHandler(Map<String, String> env) {
        this(new Services(env));
    }

    private PollerHandler(Services s) {
        this(s.pollService());
        dev.falgate.Priming.poller(s, this);
    }

    public PollerHandler(PollService polls) {
        this.polls = polls;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        try (LogContext.Scope invocation = LogContext.begin(LogContext.requestId(context))) {
            return handleBatch(event, context);
        }
    }

    private SQSBatchResponse handleBatch(SQSEvent event, Context context) {
        long margin = margin(context);
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        int handedBack = 0;
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            LogContext.nextMessage();
            if (context != null && context.getRemainingTimeInMillis() < margin) {
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                handedBack++;
                continue;
            }
            try {
                polls.process(PollScheduler.Message.parse(message.getBody()));
            } catch (RuntimeException e) {
                Log.error(context, "poll message " + message.getMessageId() + " failed", e);
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        if (handedBack > 0) {
            Log.warn(context, "time running low: handed back " + handedBack + " of " + event.getRecords().size()
                    + " messages unprocessed");
        }
        return new SQSBatchResponse(failures);
    }

    /** The larger of {@link #MIN_MARGIN} and {@link #MARGIN_SHARE} of the time left at the start. */
    static long margin(Context context) {
        long atStart = context == null ? 0 : context.getRemainingTimeInMillis();
        return Math.max(MIN_MARGIN.toMillis(), (long) (atStart * MARGIN_SHARE));
    }
}
