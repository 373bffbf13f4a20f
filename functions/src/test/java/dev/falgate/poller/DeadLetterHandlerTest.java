package dev.falgate.poller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.falgate.dispatch.FalSubmitter;
import dev.falgate.jobs.FakeJobs;
import dev.falgate.jobs.JobStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A job given up on ends failed and stops costing money at fal. */
class DeadLetterHandlerTest {
    private static final Instant CREATED = Instant.parse("2026-11-24T12:00:00Z");
    private final FakeJobs jobs = new FakeJobs("fal-ai/trellis", CREATED, CREATED.plusSeconds(3600));
    private final FalSubmitter fal = mock(FalSubmitter.class);
    private final DeadLetterHandler handler = new DeadLetterHandler(jobs.repository, fal, Clock.systemUTC());

    private static SQSEvent deadLetter(PollScheduler.Reason reason) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId("m-1");
        m.setBody("{\"job_id\":\"" + FakeJobs.JOB_ID + "\",\"reason\":\"" + reason + "\",\"attempt\":3}");
        SQSEvent e = new SQSEvent();
        e.setRecords(List.of(m));
        return e;
    }

    @Test
    void aJobWhosePollsAllFailedIsFailedAndCancelledAtFal() {
        jobs.job.submitted("req-1", "s", "r", "https://fal/cancel", CREATED);
        assertThat(handler.handleRequest(deadLetter(PollScheduler.Reason.POLL), null).getBatchItemFailures()).isEmpty();
        assertThat(jobs.job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(jobs.job.error().code()).isEqualTo("poll_failed");
        verify(fal).cancelQuietly("https://fal/cancel");
    }

    @Test
    void aJobWhoseResultIsRecordedFailsAsACopyFailureAndKeepsTheRawResult() {
        jobs.job.submitted("req-1", "s", "r", "https://fal/cancel", CREATED);
        jobs.job.recordResult("OK", "results/" + FakeJobs.JOB_ID + "/fal.json", "webhook", CREATED);
        handler.handleRequest(deadLetter(PollScheduler.Reason.FINISH), null);
        assertThat(jobs.job.error().code()).isEqualTo("output_copy_failed");
        assertThat(jobs.job.resultKey()).isNotNull();
        verify(fal, never()).cancelQuietly(any());
    }
}
