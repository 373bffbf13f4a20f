package dev.falgate.http;

import com.amazonaws.services.lambda.runtime.Context;

/** One-line JSON logs through the Lambda logger (CloudWatch) or stderr when there is none. */
public final class Log {
    private Log() {
    }

    public static void info(Context context, String message) {
        emit(context, "INFO", message, null);
    }

    public static void warn(Context context, String message) {
        emit(context, "WARN", message, null);
    }

    public static void error(Context context, String message, Throwable t) {
        emit(context, "ERROR", message, t);
    }

    /** The first frames of the trace (and of its cause): where it failed, without pages of framework. */
    private static String trace(Throwable t) {
        StringBuilder out = new StringBuilder();
        for (Throwable e = t; e != null && out.length() < 4000; e = e.getCause()) {
            if (e != t) {
                out.append("caused by ").append(e).append('\n');
            }
            java.util.Arrays.stream(e.getStackTrace()).limit(MAX_FRAMES).forEach(f -> out.append("  at ").append(f).append('\n'));
        }
        return out.toString();
    }

    private static final int MAX_FRAMES = 12;

    private static void emit(Context context, String level, String message, Throwable t) {
        var line = Json.object().put("level", level);
        // who the line is about: request id, tenant, job id (those known so far)
        dev.falgate.telemetry.LogContext.fields().forEach(line::put);
        line.put("message", message);
        if (t != null) {
            line.put("error", t.toString());
            line.put("trace", trace(t));
        }
        if (context != null && context.getLogger() != null) {
            context.getLogger().log(Json.write(line) + "\n");
        } else {
            System.err.println(Json.write(line));
        }
    }
}
