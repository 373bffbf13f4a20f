package dev.falgate.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Consumer;

/**
 * CloudWatch metrics in the embedded metric format: one JSON line on stdout per value, which
 * CloudWatch Logs turns into a metric of the function's log group (no API call, no permission,
 * no library: Powertools' metrics and logging cost ~1,300 classes and ~4.5 MB; see the README).
 * The line also carries the {@link LogContext} fields, so a metric leads to its job's logs.
 */
public final class Metrics {
    /** The namespace every falgate metric is in (FALGATE_METRICS_NAMESPACE overrides it). */
    public static final String DEFAULT_NAMESPACE = "falgate";
    private static final JsonFactory JSON = new JsonFactory();
    private static final String NAMESPACE = namespace(System.getenv("FALGATE_METRICS_NAMESPACE"));
    /** Threads whose metrics are dropped: SnapStart priming runs requests that are no real work. */
    private static final ThreadLocal<Boolean> MUTED = ThreadLocal.withInitial(() -> Boolean.FALSE);
    /** stdout as it is at each line (a test may replace System.out). */
    private static volatile Consumer<String> out = line -> System.out.println(line);

    public enum Unit {
        COUNT("Count"), MILLISECONDS("Milliseconds"), BYTES("Bytes");

        final String cloudWatchName;

        Unit(String cloudWatchName) {
            this.cloudWatchName = cloudWatchName;
        }
    }

    private Metrics() {
    }

    /**
     * Emits one value; {@code dimensions} (in order) form its one dimension set. A metric
     * that cannot be written is dropped: it never fails the work it measures.
     */
    public static void put(String name, double value, Unit unit, Map<String, String> dimensions) {
        if (MUTED.get()) {
            return;
        }
        try {
            out.accept(line(NAMESPACE, name, value, unit, dimensions, System.currentTimeMillis()));
        } catch (RuntimeException e) {
            System.err.println("falgate: metric " + name + " dropped: " + e);
        }
    }

    /** Mutes this thread's metrics until {@link #unmute()}; the primer's shadow submit is no job. */
    public static void mute() {
        MUTED.set(Boolean.TRUE);
    }

    public static void unmute() {
        MUTED.remove();
    }

    static String line(String namespace, String name, double value, Unit unit, Map<String, String> dimensions,
            long timestamp) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.writeStartObject();
            g.writeObjectFieldStart("_aws");
            g.writeNumberField("Timestamp", timestamp);
            g.writeArrayFieldStart("CloudWatchMetrics");
            g.writeStartObject();
            g.writeStringField("Namespace", namespace);
            g.writeArrayFieldStart("Dimensions");
            g.writeStartArray();
            for (String dimension : dimensions.keySet()) {
                g.writeString(dimension);
            }
            g.writeEndArray();
            g.writeEndArray();
            g.writeArrayFieldStart("Metrics");
            g.writeStartObject();
            g.writeStringField("Name", name);
            g.writeStringField("Unit", unit.cloudWatchName);
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            for (Map.Entry<String, String> field : LogContext.fields().entrySet()) {
                g.writeStringField(field.getKey(), field.getValue());
            }
            for (Map.Entry<String, String> dimension : dimensions.entrySet()) {
                g.writeStringField(dimension.getKey(), dimension.getValue());
            }
            g.writeNumberField(name, value);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    static String namespace(String configured) {
        return configured == null || configured.isBlank() ? DEFAULT_NAMESPACE : configured.trim();
    }

    /** Where lines go (stdout; a unit test's list). Returns the previous sink. */
    public static Consumer<String> redirect(Consumer<String> sink) {
        Consumer<String> previous = out;
        out = sink;
        return previous;
    }
}
