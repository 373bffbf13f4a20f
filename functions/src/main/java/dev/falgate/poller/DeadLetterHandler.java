package dev.falgate.poller;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.falgate.Services;
import dev.falgate.http.Log;
import dev.falgate.dispatch.FalSubmitter;
import dev.falgate.jobs.Job;
import dev.falgate.jobs.JobRepository;
import dev.falgate.jobs.JobStatus;
import dev.falgate.telemetry.LogContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The poll queue's dead letters: a poll message that failed on every delivery ends here, and
 * its job is failed with code {@code poll_failed} rather than left pending for ever. A job that
 * finished meanwhile is left as it is.
 */
public final class DeadLetterHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final JobRepository jobs;
    private final FalSubmitter fal;
    private final Clock clock;

    public DeadLetterHandler() {
        this(System.getenv());
    }

    public DeadLetterHandler(Map<String, String> env) {
        this(new Services(env));
    }

    private DeadLetterHandler(Services s) {
        this(s.jobs(), s.falSubmitter(), Clock.systemUTC());
        dev.falgate.Priming.deadLetters(s);
    }

    public DeadLetterHandler(JobRepository jobs, FalSubmitter fal, Clock clock) {
        this.jobs = jobs;
        this.fal = fal;
        this.clock = clock;
    }

    /**
     * Fails the job: {@code output_copy_failed} when fal's result is recorded (the finishing died,
     * the raw result stays), else {@code poll_failed}, and then cancels it at fal, so a job we gave
     * up on does not run on at our cost.
     */
    private void giveUp(String jobId) {
        Optional<Job> failed = jobs.update(jobId, job -> job.hasResult()
                ? job.fail("output_copy_failed", "falgate could not copy this job's outputs: it failed on every attempt; "
                        + "fal's raw result is kept", "poller", clock.instant())
                : job.fail("poll_failed", "falgate could not finish this job: its poll failed on every attempt",
                        "poller", clock.instant()));
        failed.filter(j -> !j.hasResult() && j.status() == JobStatus.FAILED)
                .ifPresent(j -> fal.cancelQuietly(j.falCancelUrl()));
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
                String jobId = PollScheduler.Message.parse(message.getBody()).jobId();
                giveUp(jobId);
                Log.warn(context, "dead-lettered poll for " + jobId);
            } catch (RuntimeException e) {
                Log.error(context, "dead letter " + message.getMessageId() + " not handled", e);
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }
}
