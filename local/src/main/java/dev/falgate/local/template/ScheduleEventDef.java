package dev.falgate.local.template;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code Schedule} event of a function: EventBridge invokes it every {@code rate}. Only
 * {@code rate(N unit)} expressions have a local meaning; a {@code cron(...)} is refused.
 */
public record ScheduleEventDef(String functionId, String eventName, Duration rate) {
    private static final Pattern RATE = Pattern.compile("rate\\(\\s*(\\d+)\\s+(minute|minutes|hour|hours|day|days)\\s*\\)");

    static ScheduleEventDef parse(String functionId, String eventName, String expression) {
        Matcher m = RATE.matcher(expression.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new TemplateException(functionId + "." + eventName + ": only rate(N minutes|hours|days) schedules run locally, not "
                    + expression);
        }
        long n = Long.parseLong(m.group(1));
        Duration unit = switch (m.group(2)) {
            case "minute", "minutes" -> Duration.ofMinutes(1);
            case "hour", "hours" -> Duration.ofHours(1);
            default -> Duration.ofDays(1);
        };
        return new ScheduleEventDef(functionId, eventName, unit.multipliedBy(n));
    }
}
