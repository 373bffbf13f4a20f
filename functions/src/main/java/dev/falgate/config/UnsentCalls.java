package dev.falgate.config;

import java.util.List;
import java.util.ServiceLoader;

/**
 * AWS operations that stand in for a request never sent: a secret given directly (the local stack)
 * instead of read from Secrets Manager; a GET presigned without the S3 presigner ({@code storage.GetPresigner}), which
 * runs none of the SDK's interceptors. Reported to the listeners found on the class path (the
 * test tree's least-privilege recorder), so the operation is checked against the function's
 * policy as the real read would be. None in the Lambda artifact: reporting then does nothing.
 */
public final class UnsentCalls {
    /** Told of each operation that would have been sent. */
    public interface Listener {
        void getSecretValue(String secretId);

        /** An {@code s3:GetObject} a URL presigned without the SDK grants. */
        default void presignedGet(String bucket, String key) {
        }
    }

    private static final List<Listener> LISTENERS = ServiceLoader.load(Listener.class, UnsentCalls.class.getClassLoader())
            .stream().map(ServiceLoader.Provider::get).toList();

    private UnsentCalls() {
    }

    static void getSecretValue(String secretId) {
        LISTENERS.forEach(l -> l.getSecretValue(secretId));
    }

    public static void presignedGet(String bucket, String key) {
        LISTENERS.forEach(l -> l.presignedGet(bucket, key));
    }
}
