package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.local.testing.Eventually;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A job's run prints its CloudWatch metrics (embedded metric format) into the function logs: the
 * local runner's functions write to this JVM's stdout, which the test tees and reads back, as
 * CloudWatch Logs would read the log stream.
 */
class MetricLinesTest extends SharedStackTest {
    private final List<String> printed = new ArrayList<>();
    private PrintStream stdout;

    @BeforeEach
    void teeStdout() {
        stdout = System.out;
        System.setOut(new PrintStream(new Tee(stdout, printed), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStdout() {
        System.setOut(stdout);
    }

    @Test
    void aSucceededJobPrintsItsMetricsWithItsModelJobAndTenant() {
        String ref = flows.upload(TestStack.ACME_KEY, Images.png(48, 32), "image/png");
        String job = flows.submit(TestStack.ACME_KEY, PipelineTest.EDITOR, Map.of("image_url", ref)).get("id").asText();
        JsonNode done = api.awaitTerminal(TestStack.ACME_KEY, job, PipelineTest.WITHIN);
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");

        JsonNode submitted = await(job, "JobsSubmitted");
        JsonNode succeeded = await(job, "JobsSucceeded");
        JsonNode atFal = await(job, "TimeAtFal");
        JsonNode toFinish = await(job, "TimeToFinish");
        JsonNode copied = await(job, "OutputBytesCopied");

        for (JsonNode line : List.of(submitted, succeeded, atFal, toFinish, copied)) {
            JsonNode declared = line.at("/_aws/CloudWatchMetrics/0");
            assertThat(declared.get("Namespace").asText()).isEqualTo("falgate");
            assertThat(declared.at("/Dimensions/0").toString()).as(line.toString()).isEqualTo("[\"model\"]");
            assertThat(line.get("model").asText()).isEqualTo(PipelineTest.EDITOR);
            assertThat(line.get("tenant").asText()).isEqualTo("acme");
            assertThat(line.get("request_id").asText()).as("the Lambda request id").isNotBlank().isNotEqualTo("none");
        }
        assertThat(submitted.get("JobsSubmitted").asInt()).isEqualTo(1);
        assertThat(succeeded.get("JobsSucceeded").asInt()).isEqualTo(1);
        assertThat(atFal.get("TimeAtFal").asLong()).isPositive()
                .isLessThanOrEqualTo(toFinish.get("TimeToFinish").asLong());
        long fileBytes = 0;
        for (JsonNode file : done.get("files")) {
            fileBytes += file.get("size").asLong();
        }
        assertThat(copied.get("OutputBytesCopied").asLong()).isPositive().isEqualTo(fileBytes);
        assertThat(copied.at("/_aws/CloudWatchMetrics/0/Metrics/0/Unit").asText()).isEqualTo("Bytes");
        assertThat(submitted.get("request_id").asText()).as("submit and finish are different invocations")
                .isNotEqualTo(succeeded.get("request_id").asText());
        assertThat(metricLines(job, "JobsSucceeded")).as("reported once").hasSize(1);
    }

    private JsonNode await(String job, String metric) {
        return Eventually.await(Duration.ofSeconds(30), metric + " of " + job,
                () -> metricLines(job, metric).stream().findFirst().orElse(null));
    }

    private List<JsonNode> metricLines(String job, String metric) {
        List<String> lines;
        synchronized (printed) {
            lines = List.copyOf(printed);
        }
        return lines.stream().filter(l -> l.startsWith("{\"_aws\"") && l.contains(job))
                .map(MetricLinesTest::parse).flatMap(Optional::stream)
                .filter(n -> job.equals(n.path("job_id").asText()) && n.has(metric)).toList();
    }

    private static Optional<JsonNode> parse(String line) {
        try {
            return Optional.of(Api.JSON.readTree(line));
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    /** Passes everything on and keeps each complete line. */
    private static final class Tee extends OutputStream {
        private final OutputStream original;
        private final List<String> lines;
        private final java.io.ByteArrayOutputStream current = new java.io.ByteArrayOutputStream();

        Tee(OutputStream original, List<String> lines) {
            this.original = original;
            this.lines = lines;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            original.write(b);
            if (b == '\n') {
                synchronized (lines) {
                    lines.add(current.toString(StandardCharsets.UTF_8).stripTrailing());
                }
                current.reset();
            } else {
                current.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        @Override
        public void flush() throws java.io.IOException {
            original.flush();
        }
    }
}
