package dev.falgate.storage;

import dev.falgate.config.InvocationScope;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * The parts of one multipart upload, sent by a few threads while the caller reads the next
 * part. The threads live as long as the copy (never across invocations); the first failure is
 * kept and rethrown as is, later ones are suppressed under it.
 */
final class PartUploads implements AutoCloseable {
    /** Longer than any Lambda invocation: a part still hanging then has its SDK timeouts to end it. */
    private static final long DRAIN_MINUTES = 15;

    record Part(int number, byte[] buffer, int length) {
        RequestBody body(String contentType) {
            // over the pooled buffer itself: RequestBody.fromBytes would copy the 8 MiB again
            return RequestBody.fromContentProvider(() -> new java.io.ByteArrayInputStream(buffer, 0, length),
                    length, contentType);
        }
    }

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final String uploadId;
    private final PartBuffers buffers;
    private final ExecutorService threads;
    private final Map<Integer, String> etags = new ConcurrentSkipListMap<>();
    private volatile Throwable failure;

    PartUploads(S3Client s3, String bucket, String key, String uploadId, PartBuffers buffers, int threadCount) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.uploadId = uploadId;
        this.buffers = buffers;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(threadCount, r -> {
            Thread t = new Thread(r, "s3-part-upload-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Sends the part on a pool thread; its buffer goes back to the pool when the call ends. */
    void send(Part part) {
        // the part's upload is the calling function's work (attributed so in the local runner)
        threads.execute(InvocationScope.carrying(() -> {
            try {
                if (failure == null) {
                    etags.put(part.number(), upload(part));
                }
            } catch (RuntimeException | Error e) {
                recordFailure(e);
            } finally {
                buffers.give(part.buffer());
            }
        }));
    }

    private String upload(Part part) {
        return s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(part.number())
                .contentLength((long) part.length()), part.body("application/octet-stream")).eTag();
    }

    private synchronized void recordFailure(Throwable e) {
        if (failure == null) {
            failure = e;
        } else if (failure != e) {
            failure.addSuppressed(e);
        }
    }

    /** Stops reading early: a part already failed, so the copy will. */
    void throwIfFailed() throws IOException {
        if (failure != null) {
            throw rethrowable(failure);
        }
    }

    /** Waits for every part sent; their list in part order, or the first failure. */
    List<CompletedPart> awaitAll() throws IOException {
        drain();
        throwIfFailed();
        return etags.entrySet().stream()
                .map(e -> CompletedPart.builder().partNumber(e.getKey()).eTag(e.getValue()).build()).toList();
    }

    /** After the caller's own failure: parts still uploading end before the upload is aborted; their failures go under it. */
    void drainAfter(Exception callerFailure) {
        try {
            drain();
        } catch (IOException e) {
            callerFailure.addSuppressed(e);
        }
        Throwable partFailure = failure;
        if (partFailure != null && partFailure != callerFailure) {
            callerFailure.addSuppressed(partFailure);
        }
    }

    private void drain() throws IOException {
        threads.shutdown();
        try {
            if (!threads.awaitTermination(DRAIN_MINUTES, TimeUnit.MINUTES)) {
                throw new IOException("part uploads still running after " + DRAIN_MINUTES + " minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for part uploads");
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }

    private static IOException rethrowable(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return t instanceof IOException io ? io : new IOException(t);
    }
}
