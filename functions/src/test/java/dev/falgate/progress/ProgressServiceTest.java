package dev.falgate.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.fal.FalClient;
import dev.falgate.http.Json;
import dev.falgate.jobs.FakeJobs;
import dev.falgate.jobs.JobStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which reads ask fal, and what a page sees from each. The cache's DynamoDB side is covered by PageApiTest. */
class ProgressServiceTest {
    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    private final FakeJobs jobs = new FakeJobs("fal-ai/trellis", T0, T0.plusSeconds(3600));
    private final ProgressCache cache = mock(ProgressCache.class);
    private final FalClient fal = mock(FalClient.class);
    private final ProgressService service = new ProgressService(jobs.repository, cache, fal, Clock.fixed(T0.plusSeconds(5), ZoneOffset.UTC));

    ProgressServiceTest() {
        when(jobs.repository.find("acme", FakeJobs.JOB_ID)).thenReturn(Optional.of(jobs.job));
    }

    @Test
    void theClaimingReadAsksFalWithLogsAndKeepsTheNewestLines() {
        jobs.job.submitted("req", "https://fal/status", "https://fal/response", "https://fal/cancel", T0);
        when(cache.claimRefresh(any(), any())).thenReturn(true);
        List<FalClient.LogLine> lines = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            lines.add(new FalClient.LogLine("2026-12-01T12:00:01.123456", "line " + i));
        }
        when(fal.statusWithLogs("https://fal/status")).thenReturn(new FalClient.Status("IN_PROGRESS", null, lines));
        ObjectNode p = service.progress("acme", FakeJobs.JOB_ID);
        assertThat(p.get("status").asText()).isEqualTo("queued");
        assertThat(p.get("queue_position").isNull()).isTrue();
        assertThat(p.get("logs")).hasSize(ProgressService.MAX_LOG_LINES);
        assertThat(p.at("/logs/0/message").asText()).isEqualTo("line 10");
        assertThat(p.at("/logs/0/at").asText()).isEqualTo("2026-12-01T12:00:01.123Z");
        assertThat(p.get("updated_at").asText()).isEqualTo("2026-12-01T12:00:05.000Z");
        verify(cache).store(any(), any());
    }

    @Test
    void aReadThatLosesTheClaimGetsTheStoredSnapshotWithoutAskingFal() {
        jobs.job.submitted("req", "https://fal/status", "https://fal/response", "https://fal/cancel", T0);
        when(cache.claimRefresh(any(), any())).thenReturn(false);
        when(cache.last(FakeJobs.JOB_ID)).thenReturn(Optional.of((ObjectNode) Json.parse(
                "{\"queue_position\":3,\"logs\":[],\"updated_at\":\"2026-12-01T12:00:04.000Z\"}")));
        ObjectNode p = service.progress("acme", FakeJobs.JOB_ID);
        assertThat(p.get("queue_position").asInt()).isEqualTo(3);
        verify(fal, never()).statusWithLogs(anyString());
    }

    @Test
    void aJobNotAtFalYetOrFinishedCostsNoFalCall() {
        assertThat(service.progress("acme", FakeJobs.JOB_ID).get("logs")).isEmpty();
        jobs.job.submitted("req", "https://fal/status", "https://fal/response", "https://fal/cancel", T0);
        jobs.job.moveTo(JobStatus.SUCCEEDED, "webhook", T0.plusSeconds(4));
        when(cache.last(FakeJobs.JOB_ID)).thenReturn(Optional.of((ObjectNode) Json.parse(
                "{\"queue_position\":0,\"logs\":[{\"at\":null,\"message\":\"Running\"}],\"updated_at\":\"2026-12-01T12:00:03.000Z\"}")));
        ObjectNode p = service.progress("acme", FakeJobs.JOB_ID);
        assertThat(p.get("status").asText()).isEqualTo("succeeded");
        assertThat(p.get("queue_position").isNull()).isTrue();
        assertThat(p.at("/logs/0/message").asText()).isEqualTo("Running");
        verify(cache, never()).claimRefresh(any(), any());
        verify(fal, never()).statusWithLogs(anyString());
    }

    @Test
    void falLogTimesWithoutAZoneAreUtc() {
        assertThat(ProgressService.time("2026-12-01T12:00:01.5")).isEqualTo("2026-12-01T12:00:01.500Z");
        assertThat(ProgressService.time("2026-12-01T12:00:01Z")).isEqualTo("2026-12-01T12:00:01.000Z");
        assertThat(ProgressService.time("yesterday")).isEqualTo("yesterday");
        assertThat(ProgressService.time(null)).isNull();
    }
}
