package dev.falgate.http;

import com.amazonaws.services.lambda.runtime.Context;
import java.io.PrintWriter;
import java.io.StringWriter;

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

    private static void emit(Context context, String level, String message, Throwable t) {
        var line = Json.object().put("level", level).put("message", message);
        if (t != null) {
            StringWriter trace = new StringWriter();
            t.printStackTrace(new PrintWriter(trace));
            line.put("error", trace.toString());
        }
        if (context != null && context.getLogger() != null) {
            context.getLogger().log(Json.write(line) + "\n");
        } else {
            System.err.println(Json.write(line));
        }
    }
}
