package dev.falgate.poller;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.falgate.Services;
import dev.falgate.http.Log;
import dev.falgate.telemetry.LogContext;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link SweepService} on a schedule (template.yaml's SweeperFunction). The scheduled event
 * is taken as a plain map: its content is not needed, and the events library's
 * {@code ScheduledEvent} would need joda-time in the artifact.
 */
public final class SweepHandler implements RequestHandler<Map<String, Object>, String> {
    private final SweepService sweeper;

    public SweepHandler() {
        this(System.getenv());
    }

    public SweepHandler(Map<String, String> env) {
        this(new Services(env));
    }

    private SweepHandler(Services s) {
        this(sweeper(s));
        dev.falgate.Priming.sweep(s);
    }

    public SweepHandler(SweepService sweeper) {
        this.sweeper = sweeper;
    }

    private static SweepService sweeper(Services s) {
        return new SweepService(s.jobs(), s.polls(), Clock.systemUTC());
    }

    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        try (LogContext.Scope invocation = LogContext.begin(LogContext.requestId(context))) {
            return sweep(context);
        }
    }

    private String sweep(Context context) {
        List<String> swept = sweeper.sweep();
        LogContext.nextMessage(); // the line below is about the whole sweep, not the last job it read
        if (!swept.isEmpty()) {
            Log.warn(context, "started the poll chain of " + swept.size()
                    + " overdue job(s) (a crash in the submit window, or fal's webhook late or missed): " + swept);
        }
        return "swept " + swept.size();
    }
}
