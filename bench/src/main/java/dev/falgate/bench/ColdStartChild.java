package dev.falgate.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.io.FileReader;
import java.lang.reflect.Constructor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One fresh JVM of the cold-start benchmark, run on the shaded Lambda jar: builds a handler as
 * Lambda's INIT does, then makes its first invocation. Reads its case from a properties file
 * (no Jackson before the clock starts: the bare handler does not use it). Prints
 * {@code coldstart-child: init_ms=… first_ms=…}. In {@code classes} mode it loads marker classes
 * around the first invocation; in {@code primed} mode it first runs the function's SnapStart
 * primer too; the markers let the
 * parent count the classes that invocation loaded in the {@code -Xlog:class+load} output.
 */
public final class ColdStartChild {
    /** Loaded just before the first invocation (a marker in the class-load log). */
    public static final class FirstRequestBegins {
    }

    /** Loaded just after it. */
    public static final class FirstRequestEnds {
    }

    public static void main(String[] args) throws Exception {
        Properties spec = new Properties();
        try (FileReader in = new FileReader(args[0], java.nio.charset.StandardCharsets.UTF_8)) {
            spec.load(in);
        }
        String mode = args.length > 1 ? args[1] : "time";
        boolean markers = !"time".equals(mode);
        boolean prime = "primed".equals(mode);
        Map<String, String> env = new HashMap<>();
        spec.stringPropertyNames().stream().filter(k -> k.startsWith("env.")).forEach(k -> env.put(k.substring(4), spec.getProperty(k)));
        String handlerClass = spec.getProperty("handler");

        long t0 = System.nanoTime();
        Object handler = construct(handlerClass, env);
        long t1 = System.nanoTime();

        if (prime) {
            Object primer = Class.forName("dev.falgate.snapstart.Primer").getMethod("registered", String.class)
                    .invoke(null, handlerClass.substring(handlerClass.lastIndexOf('.') + 1));
            ((java.util.Optional<?>) primer).ifPresentOrElse(p -> prime(p), () -> System.out.println("coldstart-child: no primer"));
        }
        Object event = event(spec);
        if (markers) {
            Class.forName(FirstRequestBegins.class.getName());
        }
        long t2 = System.nanoTime();
        Object result = invoke(handler, event);
        long t3 = System.nanoTime();
        if (markers) {
            Class.forName(FirstRequestEnds.class.getName());
        }
        // CPU of the whole process (all threads, JVM start included): far less sensitive than wall time to a loaded machine
        long cpuMs = ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
        System.out.printf("coldstart-child: init_ms=%.1f first_ms=%.1f cpu_ms=%d result=%s%n", (t1 - t0) / 1e6, (t3 - t2) / 1e6,
                cpuMs, summary(result));
        System.exit(0);
    }

    private static void prime(Object primer) {
        try {
            Object report = primer.getClass().getMethod("prime").invoke(primer);
            System.out.println("coldstart-child: primer " + report);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object construct(String handlerClass, Map<String, String> env) throws Exception {
        Constructor<?> c = Class.forName(handlerClass).getConstructor(Map.class);
        return c.newInstance(env);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object invoke(Object handler, Object event) {
        return ((RequestHandler) handler).handleRequest(event, null);
    }

    private static Object event(Properties spec) {
        switch (spec.getProperty("kind")) {
            case "http": {
                APIGatewayV2HTTPEvent e = new APIGatewayV2HTTPEvent();
                String routeKey = spec.getProperty("routeKey");
                e.setRouteKey(routeKey);
                e.setRawPath(spec.getProperty("path"));
                e.setPathParameters(prefixed(spec, "param."));
                e.setQueryStringParameters(prefixed(spec, "query."));
                e.setHeaders(prefixed(spec, "header."));
                e.setBody(spec.getProperty("body"));
                e.setIsBase64Encoded(false);
                e.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(routeKey.substring(0, routeKey.indexOf(' '))).withPath(spec.getProperty("path"))
                                .withSourceIp("127.0.0.1").build())
                        .withRequestId("coldstart").build());
                return e;
            }
            case "sqs": {
                SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
                m.setMessageId("coldstart");
                m.setBody(spec.getProperty("body"));
                SQSEvent e = new SQSEvent();
                e.setRecords(List.of(m));
                return e;
            }
            default:
                return Map.of("source", "aws.events", "detail-type", "Scheduled Event");
        }
    }

    private static Map<String, String> prefixed(Properties spec, String prefix) {
        Map<String, String> out = new HashMap<>();
        spec.stringPropertyNames().stream().filter(k -> k.startsWith(prefix))
                .forEach(k -> out.put(k.substring(prefix.length()), spec.getProperty(k)));
        return out;
    }

    private static String summary(Object result) {
        String s = String.valueOf(result);
        int status = s.indexOf("statusCode");
        return status >= 0 ? s.substring(status, Math.min(s.length(), status + 16)) : s.substring(0, Math.min(60, s.length()));
    }
}
