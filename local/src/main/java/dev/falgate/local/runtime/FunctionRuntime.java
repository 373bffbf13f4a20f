package dev.falgate.local.runtime;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.falgate.config.InvocationScope;
import dev.falgate.local.template.FunctionDef;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One function of the template, warm: its handler is created once through its
 * {@code (Map<String, String> env)} constructor, as Lambda keeps one instance per execution
 * environment, and every invocation runs on the shared worker pool under the function's Timeout.
 */
public final class FunctionRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(FunctionRuntime.class);

    private final FunctionDef function;
    private final String functionArn;
    private final RequestHandler<Object, Object> handler;
    private final ExecutorService workers;

    private FunctionRuntime(FunctionDef function, String functionArn, RequestHandler<Object, Object> handler,
            ExecutorService workers) {
        this.function = function;
        this.functionArn = functionArn;
        this.handler = handler;
        this.workers = workers;
    }

    public static FunctionRuntime create(FunctionDef function, String functionArn, Map<String, String> env,
            ExecutorService workers) {
        return new FunctionRuntime(function, functionArn, instantiate(function.handlerClass(), env), workers);
    }

    @SuppressWarnings("unchecked")
    static RequestHandler<Object, Object> instantiate(String handlerClass, Map<String, String> env) {
        try {
            Class<?> type = Class.forName(handlerClass);
            if (!RequestHandler.class.isAssignableFrom(type)) {
                throw new IllegalArgumentException(handlerClass + " does not implement RequestHandler");
            }
            Constructor<?> constructor = type.getConstructor(Map.class);
            return (RequestHandler<Object, Object>) constructor.newInstance(env);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(handlerClass + " failed in its constructor", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(handlerClass + " cannot be created with (Map<String,String> env)", e);
        }
    }

    public FunctionDef function() {
        return function;
    }

    /**
     * Runs the handler; returns its result or throws {@link InvocationFailure} when it threw or ran
     * past the function's Timeout (the worker is interrupted then, as Lambda would end it).
     */
    public Object invoke(Object event) throws InvocationFailure {
        String requestId = UUID.randomUUID().toString();
        Duration timeout = Duration.ofSeconds(function.timeoutSeconds());
        LocalContext context = new LocalContext(function, functionArn, requestId, Instant.now().plus(timeout));
        long started = System.nanoTime();
        // marks the worker as this function's, so the AWS operations it performs are attributed to it
        Future<Object> result = workers.submit(
                () -> InvocationScope.run(function.logicalId(), () -> handler.handleRequest(event, context)));
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            throw new InvocationFailure(function.logicalId() + " timed out after " + timeout.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            LOG.warn("{} request {} failed", function.logicalId(), requestId, e.getCause());
            throw new InvocationFailure(function.logicalId() + " threw " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw new InvocationFailure(function.logicalId() + " interrupted", e);
        } finally {
            LOG.debug("{} request {} took {} ms", function.logicalId(), requestId,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
    }

    /** The handler threw, or ran out of time. */
    public static final class InvocationFailure extends Exception {
        private final boolean timedOut;

        InvocationFailure(String message, Throwable cause) {
            super(message, cause);
            this.timedOut = cause instanceof TimeoutException;
        }

        public boolean timedOut() {
            return timedOut;
        }
    }
}
