package dev.falgate.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/**
 * Wall time of every handler invocation of the local stack, per function: the local runtime
 * ({@code dev.falgate.local.runtime.FunctionRuntime}) logs "{function} request {id} took {ms} ms" at
 * DEBUG after each invocation (queueing for a worker included, as Lambda's duration is not, so
 * it is an upper bound); this appender turns that logger to DEBUG, keeps the durations, and
 * keeps the logger's WARN and ERROR on stderr.
 */
final class HandlerTimes extends AppenderBase<ILoggingEvent> {
    private static final String LOGGER = "dev.falgate.local.runtime.FunctionRuntime";
    private final Map<String, ConcurrentLinkedQueue<Long>> millis = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Invocation> invocations = new ConcurrentLinkedQueue<>();

    /** One invocation: its function, when it ended (the log line's time, epoch ms) and how long it took. */
    record Invocation(String function, long endMillis, long millis) {
        long startMillis() {
            return endMillis - millis;
        }
    }

    static HandlerTimes install() {
        Logger logger = (Logger) LoggerFactory.getLogger(LOGGER);
        HandlerTimes times = new HandlerTimes();
        times.setContext(logger.getLoggerContext());
        times.setName("bench-handler-times");
        times.start();
        logger.setLevel(Level.DEBUG);
        logger.setAdditive(false);
        logger.addAppender(times);
        return times;
    }

    @Override
    protected void append(ILoggingEvent event) {
        Object[] args = event.getArgumentArray();
        if (event.getLevel() == Level.DEBUG && args != null && args.length == 3 && args[2] instanceof Long ms
                && event.getMessage().contains(" took ")) {
            millis.computeIfAbsent(String.valueOf(args[0]), k -> new ConcurrentLinkedQueue<>()).add(ms);
            invocations.add(new Invocation(String.valueOf(args[0]), event.getTimeStamp(), ms));
        } else if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
            System.err.println("FunctionRuntime " + event.getLevel() + ": " + event.getFormattedMessage()
                    + (event.getThrowableProxy() != null ? " (" + event.getThrowableProxy().getMessage() + ")" : ""));
        }
    }

    void clear() {
        millis.clear();
        invocations.clear();
    }

    /** The invocations that started at or after {@code epochMillis}, in the order they ended. */
    List<Invocation> startedSince(long epochMillis) {
        return invocations.stream().filter(i -> i.startMillis() >= epochMillis).toList();
    }

    /** function → its invocation times (ms), sorted. */
    Map<String, List<Long>> snapshot() {
        Map<String, List<Long>> out = new TreeMap<>();
        millis.forEach((f, q) -> {
            List<Long> l = new ArrayList<>(q);
            l.sort(null);
            out.put(f, l);
        });
        return out;
    }
}
