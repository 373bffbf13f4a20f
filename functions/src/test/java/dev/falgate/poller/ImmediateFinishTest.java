package dev.falgate.poller;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.falgate.catalog.Catalog;
import dev.falgate.jobs.FakeJobs;
import dev.falgate.jobs.Job;
import dev.falgate.outputs.OutputCollector.OutputCopyException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ImmediateFinishTest {
    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    private final JobFinisher finisher = mock(JobFinisher.class);
    private final PollScheduler polls = mock(PollScheduler.class);
    private final ImmediateFinish finish = new ImmediateFinish(finisher, polls, Catalog.standard());

    private static Job recorded(String model) {
        Job job = new FakeJobs(model, T0, T0.plusSeconds(600)).job;
        job.recordResult("OK", "results/x/fal.json", "webhook", T0);
        return job;
    }

    @Test
    void anImageJobIsFinishedInPlaceWithoutTheFinishQueue() {
        Job job = recorded("fal-ai/post-processing/sharpen");
        finish.finish(job);
        verify(finisher).finish(job);
        verify(polls, never()).finishNow(anyString());
    }

    @Test
    void aThreeDimensionalJobGoesToTheFinishQueue() {
        Job job = recorded("fal-ai/trellis");
        finish.finish(job);
        verify(finisher, never()).finish(any());
        verify(polls).finishNow(job.id());
    }

    @Test
    void aCopyThatFailsForNowIsRetriedByTheFinishQueue() {
        Job job = recorded("fal-ai/post-processing/sharpen");
        when(finisher.finish(job)).thenThrow(OutputCopyException.transientFailure("CDN 503", null));
        finish.finish(job);
        verify(polls).finishNow(job.id());
        verify(finisher, never()).failCopy(any(), anyString());
    }

    @Test
    void aCopyThatCanNeverWorkFailsTheJobAtOnce() {
        Job job = recorded("fal-ai/post-processing/sharpen");
        when(finisher.finish(job)).thenThrow(OutputCopyException.permanent("CDN 404"));
        finish.finish(job);
        verify(finisher).failCopy(job, "CDN 404");
        verify(polls, never()).finishNow(anyString());
    }

    @Test
    void aJobWithoutAnUnfinishedResultIsLeftAlone() {
        Job job = new FakeJobs("fal-ai/post-processing/sharpen", T0, T0.plusSeconds(600)).job;
        finish.finish(job);
        verify(finisher, never()).finish(any());
        verify(polls, never()).finishNow(anyString());
    }
}
