package dev.falgate.poller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.falgate.fal.FalClient;
import dev.falgate.http.Json;
import dev.falgate.jobs.FakeJobs;
import dev.falgate.jobs.JobStatus;
import dev.falgate.jobs.ResultRecorder;
import dev.falgate.dispatch.FalSubmitter;
import dev.falgate.dispatch.JobTiming;
import dev.falgate.outputs.OutputCollector;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What one poll message does, for each state a job can be in. */
class PollServiceTest {
    private static final Instant CREATED = Instant.parse("2026-11-24T12:00:00Z");
    private final FalClient fal = mock(FalClient.class);
    private final ResultRecorder results = mock(ResultRecorder.class);
    private final JobFinisher finisher = mock(JobFinisher.class);
    private final FalSubmitter submitter = mock(FalSubmitter.class);
    private final PollScheduler polls = mock(PollScheduler.class);
    private final FakeJobs jobs = new FakeJobs("fal-ai/trellis", CREATED, CREATED.plusSeconds(3600));

    private PollService at(Instant now) {
        return new PollService(jobs.repository, fal, results, finisher, submitter, polls,
                new JobTiming(1), Clock.fixed(now, ZoneOffset.UTC));
    }

    private static PollScheduler.Message poll(int attempt) {
        return new PollScheduler.Message(FakeJobs.JOB_ID, PollScheduler.Reason.POLL, attempt);
    }

    /** fal reports the job's request COMPLETED; recording its result marks the job as having one. */
    private void submittedAndCompletedAtFal() {
        jobs.job.submitted("req-1", "https://fal/status", "https://fal/result", "https://fal/cancel", CREATED);
        when(fal.status("https://fal/status")).thenReturn(new FalClient.Status("COMPLETED"));
        when(fal.result("https://fal/result")).thenReturn(new FalClient.Result(200, "{\"images\":[]}"));
        when(results.record(eq(FakeJobs.JOB_ID), eq(true), any(), any(), eq("poller"), any())).thenAnswer(i -> {
            jobs.job.recordResult("OK", "results/x/fal.json", "poller", CREATED);
            return Optional.of(jobs.job);
        });
    }

    @Test
    void aCompletedJobIsReadOnceRecordedAndHandedToTheFinishQueue() {
        submittedAndCompletedAtFal();
        at(CREATED.plusSeconds(100)).process(poll(1));
        verify(fal, times(1)).result("https://fal/result");
        verify(polls).finishNow(FakeJobs.JOB_ID);
        verifyNoInteractions(finisher);
        verify(polls, never()).next(anyString(), any(), any(Integer.class));
    }

    @Test
    void aRunningJobMovesToRunningAndIsPolledAgain() {
        jobs.job.submitted("req-1", "s", "r", "c", CREATED);
        when(fal.status("s")).thenReturn(new FalClient.Status("IN_PROGRESS"));
        at(CREATED.plusSeconds(100)).process(poll(3));
        assertThat(jobs.job.status()).isEqualTo(JobStatus.RUNNING);
        verify(polls).next(FakeJobs.JOB_ID, PollScheduler.Reason.POLL, 3);
        verify(fal, never()).result(anyString());
    }

    @Test
    void aSubmitFalCertainlyDidNotTakeIsSentAgainFromThePollPath() {
        jobs.job.setSubmitState(dev.falgate.jobs.Job.SubmitState.RETRY, CREATED);
        when(submitter.dispatch(jobs.job, "poller")).thenReturn(jobs.job);
        at(CREATED.plusSeconds(10)).process(poll(0));
        verify(submitter).dispatch(jobs.job, "poller");
        verify(polls).next(FakeJobs.JOB_ID, PollScheduler.Reason.POLL, 0);
    }

    @Test
    void aJobItsSubmitRequestMayStillClaimIsLeftToIt() {
        at(CREATED.plusSeconds(20)).process(poll(0));
        verifyNoInteractions(submitter, fal);
        verify(polls).next(FakeJobs.JOB_ID, PollScheduler.Reason.POLL, 0);
    }

    @Test
    void aJobWhoseSubmitRequestDiedBeforeClaimingItIsSentByThePoller() {
        when(submitter.dispatch(jobs.job, "poller")).thenReturn(jobs.job);
        at(CREATED.plusSeconds(36)).process(poll(0));
        verify(submitter).dispatch(jobs.job, "poller");
    }

    @Test
    void aSenderThatDiedTalkingToFalLeavesTheJobUncertainNeverResent() {
        jobs.job.claimSubmit(CREATED);
        at(CREATED.plusSeconds(20)).process(poll(0));
        assertThat(jobs.job.submitState()).isEqualTo(dev.falgate.jobs.Job.SubmitState.SUBMITTING);
        at(CREATED.plusSeconds(36)).process(poll(1));
        assertThat(jobs.job.submitState()).isEqualTo(dev.falgate.jobs.Job.SubmitState.UNCERTAIN);
        verifyNoInteractions(submitter, fal);
    }

    @Test
    void anUncertainSubmitIsNeverResentOnlyWaitedFor() {
        jobs.job.setSubmitState(dev.falgate.jobs.Job.SubmitState.UNCERTAIN, CREATED);
        at(CREATED.plusSeconds(10)).process(poll(2));
        verifyNoInteractions(submitter, fal);
        verify(polls).next(FakeJobs.JOB_ID, PollScheduler.Reason.POLL, 2);
    }

    @Test
    void pastItsDeadlineAJobFalStillRunsFailsAsTimeoutAndIsCancelledAtFal() {
        jobs.job.submitted("req-1", "s", "r", "https://fal/cancel", CREATED);
        when(fal.status("s")).thenReturn(new FalClient.Status("IN_PROGRESS"));
        at(CREATED.plusSeconds(3601)).process(poll(40));
        verify(fal).status("s");
        assertThat(jobs.job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(jobs.job.error().code()).isEqualTo("timeout");
        verify(fal).cancel("https://fal/cancel");
        verify(polls, never()).next(anyString(), any(), any(Integer.class));
    }

    @Test
    void aFinishedJobIsLeftAlone() {
        jobs.job.moveTo(JobStatus.SUCCEEDED, "webhook", CREATED);
        at(CREATED.plusSeconds(10)).process(poll(1));
        verifyNoInteractions(fal, submitter, polls, results);
    }

    @Test
    void aRecordedResultIsFinishedWithoutAskingFalAgain() {
        jobs.job.recordResult("OK", "results/x/fal.json", "webhook", CREATED);
        at(CREATED.plusSeconds(10)).process(new PollScheduler.Message(FakeJobs.JOB_ID, PollScheduler.Reason.FINISH, 0));
        verify(finisher).finish(jobs.job);
        verifyNoInteractions(fal);
        verify(results, never()).record(anyString(), anyBoolean(), any(), any(), anyString(), any());
    }

    @Test
    void aCanceledJobIsPolledOnUntilFalSaysDoneAndAResultFalCompletedAnywayIsFinished() {
        jobs.job.submitted("req-1", "s", "r", "c", CREATED);
        jobs.job.moveTo(JobStatus.CANCELED, "cancel", CREATED);
        when(fal.status("s")).thenReturn(new FalClient.Status("IN_PROGRESS"));
        at(CREATED.plusSeconds(10)).process(poll(1));
        verify(polls).next(FakeJobs.JOB_ID, PollScheduler.Reason.POLL, 1);
        assertThat(jobs.job.status()).isEqualTo(JobStatus.CANCELED);

        when(fal.status("s")).thenReturn(new FalClient.Status("COMPLETED"));
        when(fal.result("r")).thenReturn(new FalClient.Result(200, "{\"images\":[]}"));
        when(results.record(eq(FakeJobs.JOB_ID), eq(true), any(), any(), eq("poller"), any())).thenAnswer(i -> {
            jobs.job.recordResult("OK", "results/x/fal.json", "poller", CREATED);
            return Optional.of(jobs.job);
        });
        at(CREATED.plusSeconds(20)).process(poll(2));
        verify(polls).finishNow(FakeJobs.JOB_ID);
        verify(polls, never()).next(FakeJobs.JOB_ID, PollScheduler.Reason.POLL, 2);
    }

    @Test
    void aCanceledJobPastItsDeadlineIsLeftAlone() {
        jobs.job.submitted("req-1", "s", "r", "c", CREATED);
        jobs.job.moveTo(JobStatus.CANCELED, "cancel", CREATED);
        at(CREATED.plusSeconds(3601)).process(poll(40));
        verifyNoInteractions(fal, submitter, polls, results);
    }

    // ---- the finish path and the deadline

    private static PollScheduler.Message finish(int attempt) {
        return new PollScheduler.Message(FakeJobs.JOB_ID, PollScheduler.Reason.FINISH, attempt);
    }

    private void copyFails(OutputCollector.OutputCopyException e) {
        jobs.job.recordResult("OK", "results/x/fal.json", "webhook", CREATED);
        when(finisher.finish(jobs.job)).thenThrow(e);
    }

    @Test
    void anOutputThatCanNeverBeCopiedFailsTheJobAtOnce() {
        copyFails(OutputCollector.OutputCopyException.permanent("copying images[0] failed: fal's CDN answered 404"));
        at(CREATED.plusSeconds(10)).process(finish(0));
        verify(finisher).failCopy(jobs.job, "copying images[0] failed: fal's CDN answered 404");
        verify(polls, never()).next(anyString(), any(), any(Integer.class));
    }

    @Test
    void aTransientCopyErrorBeforeTheDeadlineIsRetriedWithBackoff() {
        copyFails(OutputCollector.OutputCopyException.transientFailure("copying images[0] failed: CDN answered 503", null));
        at(CREATED.plusSeconds(10)).process(finish(3));
        verify(polls).next(FakeJobs.JOB_ID, PollScheduler.Reason.FINISH, 3);
        verify(finisher, never()).failCopy(any(), anyString());
    }

    @Test
    void aTransientCopyErrorPastTheDeadlineFailsTheJobNamingTheLastError() {
        copyFails(OutputCollector.OutputCopyException.transientFailure("copying images[0] failed: CDN answered 503", null));
        at(CREATED.plusSeconds(3601)).process(finish(30));
        verify(finisher).failCopy(eq(jobs.job), org.mockito.ArgumentMatchers.contains("CDN answered 503"));
        verify(polls, never()).next(anyString(), any(), any(Integer.class));
    }

    @Test
    void aPollThatFindsAnUnfinishedResultHandsItToTheFinishQueueWithoutCopying() {
        jobs.job.recordResult("OK", "results/x/fal.json", "webhook", CREATED);
        at(CREATED.plusSeconds(10)).process(poll(2));
        verify(polls).finishNow(FakeJobs.JOB_ID);
        verifyNoInteractions(finisher, fal);
    }

    @Test
    void atTheDeadlineAJobFalCompletedIsRecordedAndFinishedNotTimedOut() {
        submittedAndCompletedAtFal();
        at(CREATED.plusSeconds(3601)).process(poll(40));
        assertThat(jobs.job.status()).isEqualTo(JobStatus.QUEUED);
        verify(polls).finishNow(FakeJobs.JOB_ID);
        verify(fal, never()).cancel(anyString());
    }

    @Test
    void atTheDeadlineAJobWhoseLastStatusReadFailsTimesOut() {
        jobs.job.submitted("req-1", "s", "r", "https://fal/cancel", CREATED);
        when(fal.status("s")).thenThrow(new dev.falgate.fal.FalException(dev.falgate.fal.FalException.Kind.UNAVAILABLE, 503, "busy", "fal answered 503", null));
        at(CREATED.plusSeconds(3601)).process(poll(40));
        assertThat(jobs.job.error().code()).isEqualTo("timeout");
        verify(fal).cancel("https://fal/cancel");
    }
}
