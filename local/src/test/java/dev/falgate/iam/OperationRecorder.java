package dev.falgate.iam;

import dev.falgate.config.InvocationScope;
import dev.falgate.config.UnsentCalls;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Records every AWS operation the functions perform in this JVM, attributed to the function whose
 * invocation made it ({@link InvocationScope}, set by the local runner). A global SDK interceptor
 * (listed in {@code software/amazon/awssdk/global/handlers/execution.interceptors} of the test
 * tree), so it sees every client and every presigned URL (presigning runs the interceptors and
 * sends nothing); and the {@link UnsentCalls} listener for the secrets the local stack gives
 * directly, and for the GETs {@code GetPresigner} signs without the SDK. A secret read through Secrets Manager reaches only the interceptor, a directly given
 * one only the listener: never both.
 *
 * <p>One record per operation, made before the request is sent, so a refused or failed call counts too.
 */
public final class OperationRecorder implements ExecutionInterceptor, UnsentCalls.Listener {
    private static final Set<Access> RECORDED = ConcurrentHashMap.newKeySet();
    /** Operations made by function code on a thread no invocation marked: a worker that lost its function. */
    private static final Set<String> UNATTRIBUTED = ConcurrentHashMap.newKeySet();
    private static final StackWalker WALKER = StackWalker.getInstance();
    /** Code of the Lambda artifact (dev.falgate.*), other than the local stack, its emulators and the tests. */
    private static final List<String> NOT_FUNCTION_CODE = List.of("dev.falgate.local.", "dev.falgate.e2e.",
            "dev.falgate.iam.", "dev.falgate.emulator.", "dev.falgate.contract.", "dev.falgate.bench.");

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        String via = presigning(operation) ? operation + " (presigned)" : operation;
        Optional<String> function = InvocationScope.function();
        if (function.isEmpty()) {
            functionFrame().ifPresent(frame -> UNATTRIBUTED.add(
                    service + " " + operation + " from " + frame + " on " + Thread.currentThread().getName()));
            return;
        }
        AccessArns.of(service, operation, context.request())
                .forEach(n -> RECORDED.add(new Access(function.get(), n.action(), n.arn(), via)));
    }

    @Override
    public void getSecretValue(String secretId) {
        InvocationScope.function().ifPresent(function -> {
            AccessArns.Need need = AccessArns.secret(secretId);
            RECORDED.add(new Access(function, need.action(), need.arn(), "GetSecretValue (given locally)"));
        });
    }

    @Override
    public void presignedGet(String bucket, String key) {
        InvocationScope.function().ifPresent(function ->
                RECORDED.add(new Access(function, "s3:GetObject", "arn:aws:s3:::" + bucket + "/" + key, "GetObject (presigned by hand)")));
    }

    static Set<Access> recorded() {
        return Set.copyOf(RECORDED);
    }

    static Set<String> unattributed() {
        return Set.copyOf(UNATTRIBUTED);
    }

    /** Only S3 GETs and PUTs are presigned here; the stack is walked for those alone. */
    private static boolean presigning(String operation) {
        return (operation.equals("GetObject") || operation.equals("PutObject")) && WALKER.walk(frames -> frames.anyMatch(f -> f.getClassName().contains("Presigner")));
    }

    /** The innermost frame of function code on this stack, unless a test or the local stack itself is the caller. */
    private static Optional<String> functionFrame() {
        List<String> classes = WALKER.walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
                .filter(c -> c.startsWith("dev.falgate.")).toList());
        boolean fromTestOrStack = classes.stream()
                .anyMatch(c -> c.endsWith("Test") || NOT_FUNCTION_CODE.stream().anyMatch(c::startsWith));
        return fromTestOrStack ? Optional.empty() : classes.stream().findFirst();
    }
}
