package dev.falgate.local.runtime;

import dev.falgate.config.Settings;
import dev.falgate.local.template.ScheduleEventDef;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EventBridge's schedule for one {@code Schedule} event: invokes the function with a
 * scheduled event every rate, divided by the stack's time scale (the same factor that
 * speeds up the fal emulator and falgate's own poll delays and deadlines).
 */
public final class ScheduleEventSource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleEventSource.class);
    private static final Duration MIN_PERIOD = Duration.ofMillis(200);

    private final ScheduleEventDef event;
    private final FunctionRuntime function;
    private final String region;
    private final ScheduledExecutorService timer;

    private ScheduleEventSource(ScheduleEventDef event, FunctionRuntime function, String region) {
        this.event = event;
        this.function = function;
        this.region = region;
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Threads.daemons("falgate-schedule-" + event.functionId() + "-" + event.eventName() + "-"));
    }

    public static ScheduleEventSource start(ScheduleEventDef event, FunctionRuntime function, String region,
            double timeScale) {
        ScheduleEventSource source = new ScheduleEventSource(event, function, region);
        long period = Math.max(MIN_PERIOD.toMillis(), Settings.scaled(event.rate(), timeScale).toMillis());
        source.timer.scheduleWithFixedDelay(source::fire, period, period, TimeUnit.MILLISECONDS);
        return source;
    }

    private void fire() {
        // the scheduled event's JSON shape, as a map (SweepHandler takes a Map: no joda-time in the artifact)
        java.util.Map<String, Object> e = java.util.Map.of("source", "aws.events", "detail-type", "Scheduled Event",
                "region", region, "time", java.time.Instant.now().toString(), "resources", List.of(), "detail", java.util.Map.of());
        try {
            function.invoke(e);
        } catch (FunctionRuntime.InvocationFailure failure) {
            LOG.warn("scheduled {} failed: {}", event.functionId(), failure.getMessage());
        } catch (RuntimeException unexpected) {
            LOG.warn("scheduled {} failed", event.functionId(), unexpected);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "schedule " + event.functionId() + "." + event.eventName();
    }
}
