package dev.falgate.poller;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.falgate.Services;
import dev.falgate.http.Log;
import dev.falgate.jobs.JobRepository;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The poll queue's dead letters: a poll message that failed on every delivery ends here, and
 * its job is failed with code {@code poll_failed} rather than left pending for ever. A job that
 * finished meanwhile is left as it is.
 */
public final class DeadLetterHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final JobRepository jobs;
    private final Clock clock;

    public DeadLetterHandler() {
        this(System.getenv());
    }

    public DeadLetterHandler(Map<String, String> env) {
        this(new Services(env).jobs(), Clock.systemUTC());
    }

    public DeadLetterHandler(JobRepository jobs, Clock clock) {
        this.jobs = jobs;
        this.clock = clock;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            try {
                String jobId = PollScheduler.Message.parse(message.getBody()).jobId();
                jobs.update(jobId, job -> job.fail("poll_failed",
                        "falgate could not finish this job: its poll failed on every attempt", "poller", clock.instant()));
                Log.warn(context, "dead-lettered poll for " + jobId);
            } catch (RuntimeException e) {
                Log.error(context, "dead letter " + message.getMessageId() + " not handled", e);
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }
}
