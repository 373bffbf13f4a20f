package dev.falgate.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.falgate.telemetry.Metrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A job's metrics come out once, when the change that made them is stored. */
class JobMetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final List<String> lines = new ArrayList<>();
    private final Consumer<String> previous = Metrics.redirect(lines::add);

    @AfterEach
    void restore() {
        Metrics.redirect(previous);
    }

    private static Job job() {
        return Job.create("01JOB", "acme", "fal-ai/flux/dev", JSON.createObjectNode(), null, T0,
                T0.plusSeconds(3600), null);
    }

    @Test
    void aResultAndAFailureAreReportedOnceWithTheirTimesAndErrorCode() throws Exception {
        Job job = job();
        JobMetrics.created(job);
        job.recordResult("ERROR", "results/01JOB/fal.json", "webhook", T0.plusSeconds(42));
        job.fail("model_error", "fal said no", "poller", T0.plusSeconds(45));

        JobMetrics.stored(job);
        JobMetrics.stored(job);

        assertThat(lines).hasSize(4);
        JsonNode submitted = JSON.readTree(lines.get(0));
        assertThat(submitted.get("JobsSubmitted").asInt()).isEqualTo(1);
        assertThat(submitted.get("model").asText()).isEqualTo("fal-ai/flux/dev");
        assertThat(JSON.readTree(lines.get(1)).get("TimeAtFal").asLong()).isEqualTo(42_000);
        JsonNode failed = JSON.readTree(lines.get(2));
        assertThat(failed.get("JobsFailed").asInt()).isEqualTo(1);
        assertThat(failed.get("error_code").asText()).isEqualTo("model_error");
        assertThat(failed.at("/_aws/CloudWatchMetrics/0/Dimensions/0").toString()).isEqualTo("[\"model\",\"error_code\"]");
        assertThat(JSON.readTree(lines.get(3)).get("TimeToFinish").asLong()).isEqualTo(45_000);
    }

    @Test
    void aSuccessIsCountedByModel() throws Exception {
        Job job = job();
        job.moveTo(JobStatus.SUCCEEDED, "poller", T0.plusSeconds(5));

        JobMetrics.stored(job);

        JsonNode succeeded = JSON.readTree(lines.get(0));
        assertThat(succeeded.get("JobsSucceeded").asInt()).isEqualTo(1);
        assertThat(succeeded.at("/_aws/CloudWatchMetrics/0/Dimensions/0").toString()).isEqualTo("[\"model\"]");
    }
}
