package dev.falgate.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The embedded metric format lines as CloudWatch reads them, and the log context they carry. */
class MetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> lines = new ArrayList<>();
    private final Consumer<String> previous = Metrics.redirect(lines::add);

    @AfterEach
    void restore() {
        Metrics.redirect(previous);
    }

    @Test
    void aLineDeclaresItsMetricWithItsDimensionsAndCarriesTheContext() throws Exception {
        Map<String, String> dimensions = new LinkedHashMap<>();
        dimensions.put("model", "fal-ai/flux/dev");
        dimensions.put("error_code", "timeout");
        try (LogContext.Scope invocation = LogContext.begin("req-1")) {
            LogContext.job("01JOB", "acme");
            Metrics.put("JobsFailed", 1, Metrics.Unit.COUNT, dimensions);
        }

        JsonNode line = JSON.readTree(lines.get(0));
        JsonNode declared = line.at("/_aws/CloudWatchMetrics/0");
        assertThat(declared.get("Namespace").asText()).isEqualTo("falgate");
        assertThat(declared.at("/Dimensions/0").toString()).isEqualTo("[\"model\",\"error_code\"]");
        assertThat(declared.at("/Metrics/0/Name").asText()).isEqualTo("JobsFailed");
        assertThat(declared.at("/Metrics/0/Unit").asText()).isEqualTo("Count");
        assertThat(line.at("/_aws/Timestamp").asLong()).isPositive();
        assertThat(line.get("JobsFailed").asDouble()).isEqualTo(1.0);
        assertThat(line.get("model").asText()).isEqualTo("fal-ai/flux/dev");
        assertThat(line.get("error_code").asText()).isEqualTo("timeout");
        assertThat(line.get("request_id").asText()).isEqualTo("req-1");
        assertThat(line.get("tenant").asText()).isEqualTo("acme");
        assertThat(line.get("job_id").asText()).isEqualTo("01JOB");
        assertThat(lines.get(0)).doesNotContain("\n");
    }

    @Test
    void aScopeEndsWithItsInvocationAndTheNextMessageForgetsThePreviousJob() {
        try (LogContext.Scope outer = LogContext.begin("req-outer")) {
            LogContext.job("01A", "acme");
            try (LogContext.Scope inner = LogContext.begin("req-inner")) {
                assertThat(LogContext.fields()).containsExactly(Map.entry("request_id", "req-inner"));
            }
            assertThat(LogContext.fields()).containsEntry("job_id", "01A").containsEntry("request_id", "req-outer");
            LogContext.nextMessage();
            assertThat(LogContext.fields()).containsExactly(Map.entry("request_id", "req-outer"));
        }
        assertThat(LogContext.fields()).doesNotContainKey("request_id");
    }

    @Test
    void aSinkThatFailsDropsTheMetricNotTheWork() {
        Metrics.redirect(line -> {
            throw new IllegalStateException("closed");
        });

        Metrics.put("JobsSubmitted", 1, Metrics.Unit.COUNT, Map.of("model", "m"));
    }

    @Test
    void aMutedThreadWritesNothingUntilUnmuted() throws Exception {
        Metrics.mute();
        try {
            Metrics.put("JobsSubmitted", 1, Metrics.Unit.COUNT, Map.of("model", "primed"));
            Thread other = new Thread(() -> Metrics.put("JobsSubmitted", 1, Metrics.Unit.COUNT, Map.of("model", "real")));
            other.start();
            other.join();
        } finally {
            Metrics.unmute();
        }
        Metrics.put("JobsSucceeded", 1, Metrics.Unit.COUNT, Map.of("model", "real"));

        assertThat(lines).hasSize(2).noneMatch(line -> line.contains("primed"));
    }

    @Test
    void theNamespaceCanBeConfigured() {
        assertThat(Metrics.namespace(" falgate/prod ")).isEqualTo("falgate/prod");
        assertThat(Metrics.namespace("")).isEqualTo("falgate");
    }
}
