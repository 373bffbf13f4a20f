package dev.falgate.bench;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.auth.signer.AwsSignerExecutionAttribute;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts every AWS SDK call made in this JVM, by caller, service and operation. Registered as a
 * global interceptor through {@code software/amazon/awssdk/global/handlers/execution.interceptors}
 * (a resource of the bench module only), which every SDK v2 client on the classpath loads: the
 * functions' own clients included, without touching their code.
 *
 * <p>The caller is the function whose handler is on the stack (the outermost frame in
 * {@code dev.falgate.{submit,read,callback,poller}}; {@code sweeper} for the SweeperFunction), {@code event-source} for the local stack's SQS
 * pollers (in AWS, Lambda's event source mapping), or {@code other} (the stack's set-up, the bench).
 * One count per API call (before retries), taken in {@code beforeExecution}; presigned URLs (which
 * run the interceptors but send nothing) are counted apart under {@code presign:<caller>}.
 */
public final class AwsCallCounter implements ExecutionInterceptor {
    private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();
    private static final Map<String, LongAdder> NANOS = new ConcurrentHashMap<>();
    private static final ExecutionAttribute<String> KEY = new ExecutionAttribute<>("falgate-bench-key");
    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("falgate-bench-started");
    private static final Set<String> FUNCTION_PACKAGES = Set.of("submit", "read", "callback", "poller", "sweeper");
    /**
     * An API key's lookup when the per-function cache has none or an expired one: one a key per
     * minute per warm function whatever the number of jobs, so counted apart as {@code keycache}.
     */
    private static final String KEY_CACHE = "dev.falgate.auth.ApiKeyCache";
    /**
     * The SweeperFunction's handler: its Query runs once per schedule tick whatever the number of
     * jobs, so it is counted as its own caller, {@code sweeper}, not as a call of the jobs (what it
     * does for a job it finds counts as {@code poller}).
     */
    private static final String SWEEPER = "dev.falgate.poller.Sweep";
    private static final StackWalker WALKER = StackWalker.getInstance();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        // one walk of the stack per call (this runs inside every handler's SDK calls, so it is kept cheap)
        List<String> classes = isEventSource() ? List.of() : WALKER.walk(frames -> frames
                .map(StackWalker.StackFrame::getClassName).toList());
        String caller = caller(classes);
        if (caller.equals("sweeper") && !"Query".equals(operation)) {
            caller = "poller"; // the poll and index update for a job it found are that job's calls
        }
        // presigning runs the interceptors too, but sends nothing: counted apart, never as a call
        if (attributes.getAttribute(AwsSignerExecutionAttribute.PRESIGNER_EXPIRATION) != null || presigning(classes)) {
            caller = PRESIGN + caller;
        }
        String key = caller + "|" + service + "|" + operation;
        COUNTS.computeIfAbsent(key, k -> new LongAdder()).increment();
        attributes.putAttribute(KEY, key);
        attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        took(attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        took(attributes);
    }

    private static void took(ExecutionAttributes attributes) {
        String key = attributes.getAttribute(KEY);
        Long started = attributes.getAttribute(STARTED);
        if (key != null && started != null) {
            NANOS.computeIfAbsent(key, k -> new LongAdder()).add(System.nanoTime() - started);
        }
    }

    /** caller|service|operation → total time in the SDK call (ns; for a streamed response, until the response is handed over). */
    public static Map<String, Long> nanos() {
        Map<String, Long> out = new TreeMap<>();
        NANOS.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Prefix of the caller for presigned URLs (local signing, no request). */
    public static final String PRESIGN = "presign:";

    private static boolean presigning(List<String> classes) {
        return classes.stream().anyMatch(c -> c.contains("Presigner"));
    }

    private static boolean isEventSource() {
        return Thread.currentThread().getName().startsWith("falgate-sqs-");
    }

    /** From the class names on the stack, innermost first. */
    private static String caller(List<String> classes) {
        if (isEventSource()) {
            return "event-source";
        }
        if (classes.contains(KEY_CACHE)) {
            return "keycache";
        }
        String found = classes.stream()
                .filter(c -> c.startsWith("dev.falgate."))
                .map(c -> c.startsWith(SWEEPER) ? "dev.falgate.sweeper.SweepHandler" : c)
                .map(c -> c.substring("dev.falgate.".length()))
                .filter(c -> c.indexOf('.') > 0 && FUNCTION_PACKAGES.contains(c.substring(0, c.indexOf('.'))))
                .reduce((first, second) -> second).orElse(null);
        return found == null ? "other" : found.substring(0, found.indexOf('.'));
    }

    /** caller|service|operation → calls since the last reset, sorted. */
    public static Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        COUNTS.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public static void reset() {
        COUNTS.clear();
        NANOS.clear();
    }
}
