package dev.falgate.e2e;

import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * S3 failing under the output copy, for the e2e tests: the next {@code n} writes of output
 * objects ({@code outputs/...}) fail with a 503 "SlowDown", as a throttled bucket would. The SDK
 * installs it in every client of this test JVM (the in-process functions' included) from
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors} in the test resources,
 * so it is on no classpath but the tests'; with nothing left to fail it does nothing.
 */
public final class S3Faults implements ExecutionInterceptor {
    private static final AtomicLong TO_FAIL = new AtomicLong();
    private static final AtomicLong INJECTED = new AtomicLong();

    /** The next {@code n} output writes fail. */
    static void failOutputWrites(long n) {
        TO_FAIL.set(n);
    }

    static void off() {
        TO_FAIL.set(0);
    }

    static long injected() {
        return INJECTED.get();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (isOutputWrite(context.request()) && TO_FAIL.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            INJECTED.incrementAndGet();
            throw S3Exception.builder().statusCode(503).message("SlowDown (injected by S3Faults)").build();
        }
    }

    private static boolean isOutputWrite(SdkRequest request) {
        String key = request instanceof PutObjectRequest put ? put.key()
                : request instanceof UploadPartRequest part ? part.key()
                : request instanceof CreateMultipartUploadRequest create ? create.key() : null;
        return key != null && key.startsWith("outputs/");
    }
}
